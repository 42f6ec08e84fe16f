"""English."""

DEADLINE = [r"no later than", r"not later than"]
"""Deadlines whose `no`/`not` is not a negation."""
NOT_UNTIL = [r"not until", r"not before", r"no earlier than", r"not earlier than"]
"""`not` that says when a thing starts, not that it does not happen (`not before 28 January`: from then)."""
APPROXIMATE = [r"about", r"around", r"roughly", r"approximately", r"approx\.?", r"circa", r"some", r"nearly",
               r"almost", r"~"]
DIFFERENCE = [r"above", r"over", r"more than", r"less than", r"below", r"under", r"exceed\w*", r"gap", r"difference",
              r"short of", r"higher than", r"lower than", r"lower", r"higher", r"by", r"from"]
TOTAL = [r"total\w*", r"in total", r"adds? up", r"altogether", r"together", r"combined", r"across", r"sum",
         r"cumulative\w*",
         r"over the", r"over \d+ years?"]
SHARE = [r"% of", r"per ?cent of", r"equals?", r"discount\w*", r"increase\w*", r"uplift", r"with"]
NEGATION = [r"not in a position to", r"in no position to", r"not able to", r"not", r"no", r"never", r"none",
            r"nothing", r"nobody", r"neither", r"nor", r"without", r"cannot",
            r"\w+n't", r"won't", r"unable", r"lacks?", r"absent", r"refus\w*", r"wipes? out",
            r"more than (?:we|i|they|he|she|you) (?:can|could)"]
BOUND = [r"up to", r"at most", r"at least", r"between", r"max(?:imum)?", r"min(?:imum)?", r"no more than",
         r"no less than", r"not more than", r"not less than", r"ranges?", r"upper", r"lower", r"first"]
"""Words that give a number as a bound or a range's end (`up to 1.2m` is borne out by `0.8–1.2m`)."""
UNLESS = [r"unless", r"except", r"other than"]
SUGGESTING = [r"could we", r"can we", r"shall we", r"should we", r"would you like to", r"how about"]
"""A question that proposes (`Could we meet on 26 March?`): no doubt."""
ANSWER = [r"let us know", r"let me know", r"tell us", r"confirm"]
"""What asks for an answer: a `whether` after it is what the answer is about, no doubt."""
KNOWN = [r"we know", r"it is known", r"we have confirmed", r"we have verified", r"it is confirmed"]
"""Our side knows a thing: the other side's word for it does not make it known."""
UNCERTAIN = [r"not known", r"not clear", r"no one knows", r"(?:do|does|did) not know", r"don't know", r"unknown", r"whether", r"unclear", r"uncertain", r"unconfirmed", r"maybe", r"perhaps", r"possibly",
             r"reportedly", r"rumou?red", r"rumou?rs?", r"word is", r"it is said", r"allegedly", r"apparently",
             r"if any", r"open questions?", r"tbc", r"tbd", r"to be confirmed"]
PENDING = [r"needs?", r"requires?", r"pending", r"not yet", r"next meets?", r"will be", r"to be", r"awaiting",
           r"planned", r"plans? to", r"would", r"could", r"proposed", r"draft", r"still", r"must", r"yet to"]
COMPLETED = [r"already", r"has been", r"have been", r"has (?:\w+ )?(?:approved|signed|accepted|agreed|decided|"
             r"consented|confirmed|sent|found|given|paid)", r"was (?:approved|signed|accepted|agreed|decided)",
             r"were (?:approved|signed|accepted|agreed|decided)"]
FIRST_PERSON = [r"we", r"our", r"ours", r"us", r"my"]
SECOND_PERSON = [r"you", r"your", r"yours"]
REPORTING = [r"advised", r"advises", r"told", r"tells?", r"said", r"says?", r"wrote", r"writes?", r"stated?", r"states", r"mentioned",
             r"according", r"e-?mail", r"letter", r"notes?", r"thinks?", r"believes?", r"view"]
PEOPLE_HEADERS = [r"present", r"attendees?", r"participants", r"chair", r"minutes", r"prepared by", r"author",
                  r"from", r"attending", r"internal participants"]
TITLES = [r"\w*managers?", r"managing", r"directors?", r"officers?", r"head", r"chief", r"chair\w*", r"president",
          r"counsel", r"lawyers?", r"engineers?", r"analysts?", r"lead", r"partners?", r"consultants?", r"controllers?",
          r"buyers?", r"assistants?", r"secretary", r"coordinators?", r"specialists?", r"executives?", r"facilities",
          r"operations", r"finance", r"procurement", r"legal", r"sales", r"account", r"ceo", r"cfo", r"cto", r"coo",
          r"cio", r"vp"]
"""Words of a job title or a department (`Facilities Manager`, `Account Manager`): not a person's name."""
SYNONYMS = [("due", "payable"), ("paid", "pay", "payment"), ("demand", "ask", "require", "request", "want"),
            ("cap", "ceiling", "maximum", "limit"), ("yearly", "annual", "annually"), ("whole", "full", "entire"),
            ("drop", "withdraw", "withdrawn", "remove"), ("reduce", "cut", "lower", "decrease"), ("end", "expire", "lapse"),
            ("start", "begin", "commence"), ("continue", "keep"), ("cancel", "terminate"),
            ("buy", "purchase"), ("meet", "meeting")]
"""Words that say the same thing in a statement and a passage (one group a line of meaning; each word is
stemmed, so one form suffices)."""
VERBS = {
    "request": [r"demand\w*", r"requir\w*", r"insist\w*", r"wants?", r"wanted", r"needs?", r"needed", r"asks?",
                r"asked", r"asking", r"requests?", r"requested", r"precondition", r"must", r"expects?",
                r"not negotiable", r"non-negotiable", r"calls? for", r"shall"],
    "offer": [r"offer\w*", r"we can", r"we could", r"can we", r"could we", r"shall we", r"propos\w*", r"suggest\w*", r"willing", r"prepared to", r"open to", r"quoted?"],
    "promise": [r"promis\w*", r"commit(?:s|ted)? to", r"guarantee[sd]?", r"undert\w+", r"pledged?", r"assured?"],
    "approve": [r"approv\w*", r"authori[sz]\w*", r"consent\w*", r"accept\w*", r"agree[sd]?", r"agreed", r"signed",
                r"sign", r"signs", r"signature", r"confirm\w*", r"endorse\w*"],
    "decide": [r"decid\w*", r"decision", r"resolved?", r"concluded"],
    "give": [r"provides?", r"provided", r"providing", r"issued", r"grants?", r"granted", r"gives?",
             r"gave", r"furnish\w*"],
    "receive": [r"holds?", r"held", r"receives?", r"received", r"gets?", r"got", r"obtains?", r"obtained",
                r"(?:is|are) entitled to"],
    "refuse": [r"refus\w*", r"reject\w*", r"declin\w*", r"turned down"],
    "withdraw": [r"withdr[ae]w\w*", r"dropp(?:ed|ing)", r"abandon\w*", r"gave up", r"given up"],
}
ROLES = {
    "price": [r"fees?", r"prices?", r"pricing", r"charges?", r"costs?", r"rates?", r"tariffs?", r"setup", r"set-up",
              r"instal+ments?", r"payments?", r"invoiced?", r"paid", r"pays?", r"spend"],
    "discount": [r"discounts?", r"rebates?", r"savings?", r"reductions?", r"off", r"reduced"],
    "ceiling": [r"caps?", r"capped", r"ceiling", r"maximum", r"max", r"at most", r"up to", r"limit\w*", r"or below",
                r"not exceed\w*", r"no more than", r"not (?:\w+ ){0,2}(?:by )?more than", r"upper"],
    "floor": [r"minimum", r"min", r"at least", r"floor", r"or more", r"no less than"],
    "penalty": [r"penalt\w+", r"damages", r"liquidated", r"credits?", r"fines?", r"late fees?", r"compensation"],
    "budget": [r"budget\w*", r"business case"],
    "estimate": [r"estimat\w*", r"forecast\w*", r"projected"],
    "claim": [r"claim\w*"],
    "increase": [r"increase\w*", r"rise", r"rises", r"raise[sd]?", r"uplift", r"higher", r"go(?:es)? up", r"went up"],
    "target": [r"targets?", r"targeted", r"aim(?:s|ed)? (?:at|for)", r"goal", r"ideal(?:ly)?"],
}
ROLE_LABELS = {"chair": [r"chair\w*"], "notes": [r"notes", r"minutes", r"minute-taker"],
               "author": [r"author\w*", r"prepared by", r"written by", r"wrote", r"drafted"]}
"""Labels of a document's header line that name the one person in a role (`Chair: Katarina Lindqvist`), with the
words a statement gives that role in."""
TIMING = {
    "early": [r"before", r"early", r"earlier", r"ahead of", r"prior to", r"in advance", r"on time", r"in time"],
    "late": [r"after", r"late", r"later", r"overdue", r"past due", r"delayed", r"behind schedule"],
}
"""When a thing happens against a date or its due time (paid before the due date is not paid late)."""
POLES = {
    "included": [r"includ\w*", r"incl\.?", r"inclusive"],
    "excluded": [r"exclud\w*", r"excl\.?", r"exclusive of", r"on top of"],
    "rising": [r"ris(?:e|es|ing)", r"rose", r"risen", r"grow(?:s|ing|n)?", r"grew", r"rais(?:e|es|ed|ing)",
               r"increas(?:ed|ing)", r"hik(?:e|es|ed)", r"went up", r"go(?:es)? up"],
    "falling": [r"fall(?:s|ing|en)?", r"fell", r"declin\w*", r"shrink\w*", r"shrank", r"cut(?:s|ting)?",
                r"reduc(?:e|es|ed|ing)", r"lower(?:s|ed|ing)", r"decreas(?:e|es|ed|ing)", r"went down",
                r"go(?:es)? down"],
    "fixed": [r"fixed", r"firm"],
    "variable": [r"variable", r"floating", r"indexed"],
    "allowed": [r"allow(?:s|ed)?", r"permit(?:s|ted)?", r"permissible"],
    "forbidden": [r"prohibit\w*", r"forbid\w*", r"forbidden", r"banned"],
    "buying": [r"buy(?:s|ing)?", r"bought", r"purchas\w*"],
    "selling": [r"sell(?:s|ing)?", r"sold"],
}
"""States that exclude each other (what a price includes is not extra; a rising figure is not falling)."""
DEGREE = {
    "high": [r"high", r"strong", r"good", r"likely", r"certain", r"significant", r"considerable"],
    "low": [r"low", r"weak", r"moderate", r"poor", r"unlikely", r"slim", r"limited", r"modest", r"small"],
}
"""How much or how likely, as a judgement (a chance rated moderate is not rated high)."""
DIRECTION = {
    "more": [r"more than", r"greater than", r"higher than", r"above", r"exceeds?", r"exceeding", r"in excess of"],
    "less": [r"less than", r"fewer than", r"lower than", r"below", r"short of", r"falls? short"],
}
"""Which way a figure compares (more than half is not less than half)."""
PERIODS = {
    "hour": [r"hours?", r"hourly", r"per hour", r"an hour"],
    "day": [r"days?", r"daily", r"per day", r"a day"],
    "week": [r"weeks?", r"weekly"],
    "month": [r"months?", r"monthly"],
    "year": [r"years?", r"yearly", r"annual\w*", r"p\.a\.", r"per annum"],
    "once": [r"one-time", r"one-off", r"once", r"upfront", r"at signature", r"lump sum"],
}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                "eighteen": 18, "twenty-four": 24, "thirty-six": 36, "forty": 40, "fifty": 50, "sixty": 60,
                "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
