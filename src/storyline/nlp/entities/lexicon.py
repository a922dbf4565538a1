"""Word lists behind entity canonicalisation: titles, role nouns, well-known aliases.

Kept apart from the logic so they can grow without touching code. All entries are lower case.
"""

from __future__ import annotations

import re

# Words that form a title in front of a name ("Marine Gen.", "Iraqi Prime Minister", "US Defense Secretary").
TITLE_WORDS = frozenset(
    ["general", "gen", "gen.", "lt", "lt.", "lieutenant", "colonel", "col", "col.", "major", "maj", "maj.", "admiral", "adm", "adm.", "sergeant", "sgt", "sgt.", "captain", "capt", "capt.", "commander", "cmdr", "cmdr.", "brigadier", "brig", "brig.", "marshal", "corporal", "cpl", "cpl.", "private", "pvt", "pvt.", "officer", "marine", "marines", "air", "force", "army", "navy", "naval", "coast", "guard", "special", "forces", "president", "vice", "prime", "minister", "premier", "secretary", "senator", "sen", "sen.", "rep", "rep.", "representative", "congressman", "congresswoman", "gov", "gov.", "governor", "mayor", "judge", "justice", "attorney", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "sir", "dame", "lord", "lady", "king", "queen", "prince", "princess", "crown", "emir", "sheikh", "sheik", "ayatollah", "imam", "cardinal", "pope", "rev", "rev.", "reverend", "father", "bishop", "archbishop", "chancellor", "ambassador", "envoy", "consul", "chief", "spokesman", "spokeswoman", "spokesperson", "adviser", "advisor", "director", "chairman", "chairwoman", "chair", "ceo", "cfo", "coo", "founder", "deputy", "acting", "former", "late", "first", "lady", "speaker", "leader", "head", "state", "defense", "defence", "foreign", "interior", "finance", "health", "justice", "national", "security", "homeland", "top", "senior", "foreign-affairs", "professor", "prof", "prof.", "candidate", "agent", "manager", "strategist", "analyst", "lawyer", "coach", "campaign", "nominee", "presumptive", "democratic", "republican", "gop", "sen.", "rep.", "u.s.", "us", "uk"]
)

# Words that can never be a title although they are capitalised in front of names.
NOT_TITLE = frozenset({"the", "a", "an", "and", "of", "for"})

# Role nouns that let "the commander said" find the person.  Each maps to a group; a description matches a person
# whose role (title or apposition) contains a word of the same group.
ROLE_GROUPS: dict[str, str] = {}
for _group, _words in {
    "military": "general gen gen. commander admiral adm. colonel col. major maj. lieutenant lt. sergeant sgt. captain "
    "capt. brigadier marshal marine army navy naval air force military officer soldier commanding centcom",
    "government": "minister premier prime chancellor government cabinet",
    "president": "president",
    "secretary": "secretary",
    "legislator": "senator sen. lawmaker congressman congresswoman representative rep. legislator parliamentarian mp "
    "parliament",
    "diplomat": "ambassador envoy diplomat consul",
    "spokesperson": "spokesman spokeswoman spokesperson",
    "leader": "leader chief head chairman chairwoman chair director boss",
    "adviser": "adviser advisor aide",
    "governor": "governor gov. mayor",
    "candidate": "candidate nominee contender",
    "judge": "judge justice",
}.items():
    for _w in _words.split():
        ROLE_GROUPS[_w] = _group

# Nouns that denote one person and so can stand for a named person ("the commander said").
ROLE_HEADS = frozenset(
    ["general", "commander", "admiral", "colonel", "major", "lieutenant", "sergeant", "captain", "brigadier", "marshal", "officer", "minister", "premier", "chancellor", "president", "secretary", "senator", "lawmaker", "congressman", "congresswoman", "representative", "legislator", "parliamentarian", "ambassador", "envoy", "diplomat", "consul", "spokesman", "spokeswoman", "spokesperson", "leader", "chief", "head", "chairman", "chairwoman", "director", "adviser", "advisor", "aide", "governor", "mayor", "candidate", "nominee", "judge", "official", "source", "agent", "manager", "strategist", "analyst", "lawyer"]
)

# Generic heads: "the official", "the source" say little; they match through their modifiers ("military official").
GENERIC_ROLE_HEADS = frozenset({"official", "source", "spokesman", "spokeswoman", "spokesperson", "aide", "officer"})

# Well-known variants of the same name.  Keys are normalised surfaces (see ``entities.norm_key``).
ALIASES: dict[str, str] = {}
for _canon, _variants in {
    "United States": "us|u s|usa|u s a|united states|united states of america|america|the states|washington dc",
    "United Kingdom": "uk|u k|united kingdom|britain|great britain",
    "Islamic State": "is|isis|isil|islamic state|daesh|daish|islamic state group|islamic state of iraq and syria|"
    "islamic state of iraq and the levant|islamic state of iraq and al-sham|the islamic state",
    "United Nations": "un|u n|united nations",
    "European Union": "eu|e u|european union",
    "NATO": "nato|north atlantic treaty organization|north atlantic treaty organisation",
    "United Arab Emirates": "uae|u a e|united arab emirates",
    "Soviet Union": "ussr|soviet union",
    "Department of Defense": "dod|department of defense|defense department|pentagon|the pentagon",
    "Central Command": "centcom|central command|us central command|united states central command",
    "Federal Bureau of Investigation": "fbi|federal bureau of investigation",
    "Central Intelligence Agency": "cia|central intelligence agency",
    "Associated Press": "ap|associated press|the associated press",
    "Agence France-Presse": "afp|agence france-presse|agence france presse",
    "Democratic Party": "democratic party|democrats",
    "Republican Party": "republican party|gop|republicans",
}.items():
    for _v in _variants.split("|"):
        ALIASES[_v] = _canon

# Small words skipped when forming an acronym from a name ("Islamic State of Iraq and the Levant" -> ISIL).
ACRONYM_STOP = frozenset({"of", "the", "and", "for", "in", "on", "&", "to", "de", "la", "des", "du", "al"})

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves", "it", "its", "itself"})

# Gender evidence for pronoun resolution ("he" must not land on Hillary Clinton).  Titles and role words are
# reliable; first names are a common-name list (US and international news), used only when nothing else is known.
MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "congressman", "spokesman",
                         "chairman", "sheikh", "sheik", "brother", "uncle", "son", "husband", "dad", "pope"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess", "congresswoman",
                           "spokeswoman", "chairwoman", "sister", "aunt", "daughter", "wife", "mom", "mother",
                           "madam", "first lady"})
# Common nouns of a gender ("a woman from Benghazi" can be "she", never "he"): the title words and the plain nouns.
MALE_NOUNS = MALE_TITLES | {"man", "boy"}
FEMALE_NOUNS = FEMALE_TITLES | {"woman", "girl"}
MALE_NAMES = frozenset(
    "aaron adam adrian ahmed al alan albert alex alexander ali allen andrew andy anthony antonio arthur ashton barack "
    "barry ben benjamin bernie bill billy bob bobby brad bradley brandon brent brett brian bruce bryan carl carlos "
    "charles charlie chris christopher chuck clarence cory craig dan daniel danny darrell dave david dennis dick "
    "don donald doug douglas duncan dwight ed eddie edward elijah emmanuel eric ernest evan francis frank fred "
    "gary george gerald glenn gordon greg gregory harold harry hassan henry howard hugh ian isaac jack jacob jake "
    "james jared jason jay jeb jeff jeffrey jeremy jerry jesse jim jimmy joe joel john johnny jon jonathan jorge "
    "jose joseph josh joshua juan justin keith ken kenneth kevin kim-jong kyle larry lawrence lee leon lindsey "
    "lloyd louis luis marco mario mark martin matt matthew max michael mike mitch mitt mohammed mohammad muhammad "
    "mustafa nathan neil newt nicholas nick omar oscar patrick paul pete peter phil philip rahm ralph rand randy "
    "raymond reince reza richard rick rob robert roger ron ronald roy rudy russell ryan sam samuel scott sean "
    "sergei seth stephen steve steven ted terry thomas tim timothy todd tom tony travis trey tyler vladimir "
    "walter wayne wesley william willie xi yusuf zach".split()
)
# Common first names of the world's news beyond the English ones above (Arabic, French, Spanish, Russian, German,
# Japanese): an unknown gender lets "she" reach a man (T17: "Khalil Abdallah" for a woman's words).
MALE_NAMES = MALE_NAMES | frozenset(
    "abdallah abdel abdul abdullah abdulrahman abdurrahman adel adil alejandro alexei amr andre andrei anwar arturo "
    "ayman bashar bilal boris diego dieter dmitri dmitry enrique ernesto fahd faisal felipe fernando fouad "
    "francisco francois gerhard hamad hamid hans helmut hiroshi hosni hugo hussain hussein ibrahim ignacio igor "
    "ismail ivan jacques jamal javier julio jurgen kareem karim kenji khaled khalid khalil klaus luc mahmoud mahmud "
    "mansour manuel michel miguel mikhail moammar mohamed moussa moustafa muammar musa nabil naoto nicolas nikolai "
    "nuri osama pablo pedro pierre rafael raul ricardo roberto rodrigo saif salah saleh salem sami samir sergio "
    "shinzo takeshi tariq vicente viktor walid wolfgang yasser yoshihiko youssef yuri ziad".split()
)
FEMALE_NAMES = frozenset(
    "abigail alice alicia allison amanda amy andrea angela angelina ann anna anne annie barbara betsey betty beverly "
    "brenda carly carol caroline carolyn catherine cheryl christina christine cindy claire claudia condoleezza "
    "cynthia dana deborah debbie debra diana diane donna dorothy elaine elena elizabeth ellen emily emma erin "
    "eva evelyn frances gabrielle gina gloria grace hannah heather heidi helen hillary huma ivanka jane janet "
    "janice jean jeanne jennifer jessica jill joan joanna jodi joni joy judith judy julia julie karen kate "
    "katherine kathleen kathy katie kayleigh kelly kelli kellyanne kim kirsten kristen laura lauren linda lisa "
    "loretta lori louise lynn madeleine margaret maria marie marine marsha martha mary megan megyn melania "
    "melissa michele michelle monica nancy natalie nicole nikki olivia pamela pat patricia paula rachel rebecca "
    "rosa rose ruth samantha sandra sarah sharon shirley sonia sophia stephanie susan susana tammy teresa theresa "
    "tina tulsi valerie victoria virginia wendy".split()
)
FEMALE_NAMES = FEMALE_NAMES | frozenset(
    "aicha aisha amina ana camille carmen eman fatima fatma gabriela hana helga huda iman ingrid irina isabel "
    "isabelle juana layla leila luisa mariam marie marta maryam nadia natalia nathalie noor nour olga rania salma "
    "samira sofia sophie svetlana tatiana ursula valentina yasmin yasmine yulia zainab zeinab".split()
)

# Nouns for a body that speaks for its owner ("Sudani's office", "the Clinton campaign").
BODY_NOUNS = frozenset({"office", "campaign", "ministry", "administration", "government", "spokesman",
                        "spokeswoman", "spokesperson", "team", "staff", "cabinet", "embassy", "camp", "lawyers",
                        "attorneys", "aides"})


# Kept here, free of spaCy, so the corpus stages (which only compare names) never import the parser.
_POSSESSIVE = ("'s", "’s", "'", "’")


def norm_key(surface: str) -> str:
    """Normalised lookup key: case, dots, possessives, leading article and plural demonym 's' removed."""
    s = surface.strip()
    for p in _POSSESSIVE:
        if s.endswith(p):
            s = s[: -len(p)]
            break
    s = s.replace(".", " ").replace("’", "'").lower()
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s
