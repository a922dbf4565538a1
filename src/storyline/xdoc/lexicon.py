"""Word lists for the corpus stages, kept as data so an analyst can read and extend them.

``FRAMES`` maps a predicate lemma to a proposition frame and a sign: "withdraw", "leave", "pull out" and "redeploy"
assert the frame ``presence_end`` (+1); "stay", "remain", "keep" assert its opposite (-1). Two claims in one frame
with opposite effective signs say opposite things about the same proposition.
"""

from __future__ import annotations

FRAMES: dict[str, tuple[str, int]] = {}
for _frame, _pos, _neg in [
    ("presence_end", "withdraw leave exit depart redeploy evacuate retreat quit pull_out pull draw_down drawdown "
                     "remove expel eject end_presence go_home", "stay remain keep maintain station"),
    ("amount_change", "increase rise grow raise climb surge expand boost double triple",
                      "decrease fall drop decline cut reduce shrink slash lower halve"),
    ("support", "support back endorse favor favour welcome praise approve", "oppose reject condemn criticize "
                "criticise denounce veto block"),
    ("agreement", "agree accept sign ratify", "refuse reject disagree"),
    ("permission", "allow permit authorize authorise legalize", "ban forbid prohibit bar outlaw"),
    ("activity", "start begin launch open resume", "end stop halt close suspend cease finish"),
    ("outcome", "win", "lose"),
    ("truth", "confirm acknowledge admit", "deny dismiss refute"),
    ("life", "survive live", "die kill"),
]:
    for _w in _pos.split():
        FRAMES[_w.replace("_", " ")] = (_frame, 1)
    for _w in _neg.split():
        FRAMES[_w.replace("_", " ")] = (_frame, -1)

# How to say each side of a frame in an explanation.
FRAME_SIDES: dict[str, tuple[str, str]] = {
    "presence_end": ("leaving / withdrawal", "staying / continued presence"),
    "amount_change": ("an increase", "a decrease"), "support": ("support", "opposition"),
    "agreement": ("agreement", "refusal"), "permission": ("allowing it", "banning it"),
    "activity": ("starting it", "ending it"), "outcome": ("winning", "losing"), "truth": ("confirming", "denying"),
    "life": ("survival", "death"),
}

# Verbs too light to carry a proposition on their own; a claim built on them aligns only through special rules.
LIGHT = frozenset("be have do make get go come say tell add note take give put become seem appear".split())

# Counted nouns that name the same thing ("troops", "forces", "soldiers" in a troop count).
COUNT_SYNONYMS: dict[str, str] = {}
for _canon, _words in {
    "troops": "troop troops force forces soldier soldiers personnel service-member service-members servicemember "
              "servicemembers servicemen marines sailors boots",
    "people": "people persons person individuals civilians residents",
    "deaths": "dead deaths death fatalities killed",
    "injured": "injured wounded injuries casualties",
}.items():
    for _w in _words.split():
        COUNT_SYNONYMS[_w] = _canon

# Nouns whose presence in a place is what "remain/stay/be in X" asserts.
PRESENCE_NOUNS = frozenset(COUNT_SYNONYMS[w] for w in ("troops",)) | {"presence", "troops", "forces", "military",
                                                                    "coalition", "mission", "soldiers", "us"}

# Loaded or framing terms: words that carry a judgment a neutral report would avoid. Which outlet uses them more
# than the others is what the source profiles report.
LOADED_TERMS = frozenset("""
occupation occupying occupier occupiers occupy invader invaders invasion regime puppet puppets toxic terror terrorist
terrorists terrorism thugs mercenaries militants martyr martyrs martyrdom aggression aggressor imperialist imperialism
imperialists colonial colonialist hegemony crusade crusaders massacre slaughter genocide atrocity atrocities brutal
brutality barbaric savage extremist extremists radical radicals fanatic fanatics propaganda lies lie lying
so-called alleged illegal illegitimate unlawful provocation provocative warmonger warmongers hawks hawkish
disaster catastrophe catastrophic chaos chaotic humiliating humiliation defeat surrender capitulation betrayal
resistance liberation liberators freedom heroic heroes criminal criminals crimes sponsor sponsors sponsored
assassination assassinated oppress oppression oppressive
""".split())

STOPWORDS = frozenset("""a an the and or but if of in on at to for from by with as is are was were be been being it its
this that these those he she they we you i his her their our your them us him not no nor so than then there here
which who whom whose what when where why how all any both each few more most other some such only own same too very
can will just should now also has have had do does did would could may might must said says say about after before
over under into out up down off again further once""".split())
