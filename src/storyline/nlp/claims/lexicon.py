"""Word lists that decide a claim's modality, polarity and hedging.

Kept as data so a reader can see (and extend) what turns "plans to withdraw" into a *planned* withdrawal and
"refuse to leave" into a negated, *intended* one without reading the tree-walking code.
"""

from __future__ import annotations

# Verbs that govern an infinitive/gerund complement and give the complement their modality.
GOVERNOR_MODALITY: dict[str, str] = {
    **dict.fromkeys(["plan", "schedule", "prepare", "aim", "agree", "decide", "move", "arrange", "propose",
                     "consider", "set"], "planned"),
    **dict.fromkeys(["intend", "want", "seek", "mean", "vow", "pledge", "promise", "refuse", "determine", "hope",
                     "wish", "try", "threaten", "attempt", "offer", "insist", "resolve", "choose", "opt",
                     "endeavour", "endeavor", "strive"], "intended"),
    **dict.fromkeys(["expect", "predict", "forecast", "anticipate", "project"], "predicted"),
    **dict.fromkeys(["demand", "urge", "ask", "order", "call", "require", "force", "tell",
                     "instruct", "direct", "need", "have"], "demanded"),
}
# Governors that add nothing but aspect or evidentiality: the complement carries the claim.
TRANSPARENT = {"continue", "begin", "start", "keep", "appear", "seem", "tend", "go", "get", "happen", "manage",
               "remain", "cease", "stop", "fail", "help", "use", "be", "come", "resume", "decline"}
NEGATING_GOVERNORS = {"refuse", "fail", "decline", "cease", "stop", "reject", "avoid", "deny"}
HEDGING_GOVERNORS = {"appear", "seem", "tend"}
# Nouns that carry a plan or intention: "no plans to withdraw", "no intention of withdrawing".
INTENT_NOUNS: dict[str, str] = {
    **dict.fromkeys(["plan", "timetable", "timeline", "decision", "agreement", "deal", "proposal", "schedule"],
                    "planned"),
    **dict.fromkeys(["intention", "intent", "desire", "wish", "aim", "goal", "bid", "attempt", "pledge", "promise",
                     "commitment", "vow", "threat"], "intended"),
    **dict.fromkeys(["call", "demand", "request", "order", "push", "ultimatum"], "demanded"),
    **dict.fromkeys(["expectation", "prospect", "likelihood", "chance", "risk"], "predicted"),
}
# Event nouns → verbs, so "no plans for withdrawal" and "plans to withdraw" align.
NOMINAL_VERB: dict[str, str] = {
    "withdrawal": "withdraw", "departure": "depart", "exit": "exit", "pullout": "pull out", "pull-out": "pull out",
    "drawdown": "draw down", "draw-down": "draw down", "invasion": "invade", "attack": "attack",
    "deployment": "deploy", "redeployment": "redeploy", "expulsion": "expel", "removal": "remove",
    "occupation": "occupy", "retreat": "retreat", "evacuation": "evacuate",
    "reduction": "reduce", "increase": "increase", "ceasefire": "cease fire", "release": "release",
    "arrest": "arrest", "killing": "kill", "strike": "strike", "resignation": "resign", "election": "elect",
    "ban": "ban", "cut": "cut", "sale": "sell", "purchase": "buy", "closure": "close", "return": "return",
}
PURE_SPEECH = {"say", "tell", "add", "note", "state", "report", "quote", "write", "tweet", "remark", "reply",
               "respond", "explain", "mention", "recall", "observe", "reiterate", "stress", "emphasize",
               "emphasise", "announce", "declare", "confirm", "reveal", "disclose", "acknowledge", "admit",
               "assert", "affirm", "argue", "contend", "maintain", "claim", "allege", "insist", "warn", "caution",
               "suggest", "indicate", "signal", "testify", "conclude", "show"}
FRAME_MODALITY = {"deny": "denied", "dismiss": "denied", "reject": "denied", "refute": "denied",
                  "demand": "demanded", "urge": "demanded", "insist": "demanded", "ask": "demanded",
                  "predict": "predicted", "expect": "predicted", "forecast": "predicted", "warn": "predicted",
                  "fear": "predicted", "hope": "intended", "vow": "intended", "pledge": "intended",
                  "promise": "intended"}
HEDGING_FRAMES = {"believe", "think", "suspect", "suggest", "allege", "claim", "estimate", "guess", "feel",
                  "assume", "speculate", "fear", "hope", "understand"}
HEDGE_WORDS = {"reportedly", "allegedly", "apparently", "possibly", "probably", "likely", "perhaps", "maybe",
               "seemingly", "purportedly", "supposedly", "presumably", "potentially", "unlikely", "arguably"}
MODAL_AUX = {"will": "predicted", "'ll": "predicted", "shall": "predicted", "wo": "predicted",
             "would": "predicted", "may": "possible", "might": "possible", "could": "possible", "can": "possible",
             "ca": "possible", "must": "demanded", "should": "demanded", "ought": "demanded"}
NEG_WORDS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor", "nowhere", "without"}
FIRST_PERSON = {"i", "we"}
# Nouns whose "that"-clause is reported content: "a joint statement ... that remaining US troops would withdraw".
SPEECH_NOUNS = {"statement", "announcement", "report", "claim", "assurance", "promise", "pledge", "warning",
                "agreement", "declaration", "communique", "communiqué", "admission", "allegation", "assertion",
                "insistence", "denial", "comment", "remark", "message", "letter", "notice", "notification"}
DEMANDING = {"demand", "call", "urge", "request", "order", "seek"}
