"""Dutch: word lists, feedback texts (je and u) and risk cues in this folder."""

from simulator.language.pack import LanguagePack, LanguageTuning, StarterSample

PACK = LanguagePack(
    code="nl",
    name="Dutch",
    own_name="Nederlands",
    stemmer="dutch",
    whisper_model="base",
    espeak_voice="gmw/nl",
    # Chosen with benchmarks/voice_wer.py (Whisper base word error rate on the personas' stage
    # lines, one setting at a time; figures in benchmarks/README.md).
    espeak_tuning=LanguageTuning(rate_scale=0.85, male="m3", female="f2"),
    yield_line="Sorry, ga je gang.",
    yield_line_formal="Sorry, gaat u verder.",
    starter=StarterSample(
        name="Sam Voorbeeld",
        situation="Een cliënt belt over een brief die hij niet begrijpt.",
        open="Ik kreeg deze brief en ik snap er niets van.",
        open2="Niemand legt me iets uit.",
        mid="Er staat dat ik geld schuldig ben. Ik ben er echt bezorgd over.",
        last="Ik heb iemand nodig die het samen met mij doorneemt.",
        resolution="Dank je. Dat helpt.",
        walk_out="Laat maar. Ik regel het zelf wel.",
        turn_limit="Ik moet nu gaan.",
        good="Je kreeg een brief die je niet begrijpt, en dat maakt je ongerust.",
        poor="Lees hem gewoon nog een keer, het staat er allemaal in.",
        feeling="bezorgd",
    ),
)
