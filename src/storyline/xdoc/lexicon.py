"""Word lists for the corpus stages' statistics (framing terms, stop words). Predicate frames and counted-noun
synonyms are data files under ``lang/en/``."""

from __future__ import annotations

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
