"""Finnish: word lists (with spoken forms), feedback texts and risk cues in this folder."""

from simulator.language.pack import LanguagePack, StarterSample

PACK = LanguagePack(
    code="fi",
    name="Finnish",
    own_name="suomi",
    stemmer="finnish",
    whisper_model="base",
    espeak_voice="urj/fi",
    # No espeak-ng tuning: the best setting (m1/f1, pitch range x0.6) was within the
    # measurement's noise on the client's lines and read worse on the trainee fixtures.
    yield_line="Anteeksi, jatka vain.",
    starter=StarterSample(
        name="Sami Esimerkki",
        situation="Asiakas soittaa toimistoon kirjeestä, jota hän ei ymmärtänyt.",
        open="Sain tämän kirjeen, enkä ymmärrä siitä mitään.",
        open2="Kukaan ei selitä minulle mitään.",
        mid="Siinä lukee, että olen velkaa. Olen tosi huolissani.",
        last="Tarvitsisin jonkun, joka kävisi sen kanssani läpi.",
        resolution="Kiitos. Tämä auttaa.",
        walk_out="Antaa olla. Hoidan sen itse.",
        turn_limit="Minun täytyy nyt lähteä.",
        good="Sait kirjeen, josta et saa selvää, ja se huolettaa sinua.",
        poor="Lue se vain uudestaan, kaikki lukee siinä.",
        feeling="huolissani",
    ),
)
