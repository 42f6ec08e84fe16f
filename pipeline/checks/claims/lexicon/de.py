"""German."""

DEADLINE = [r"nicht später als"]
NOT_UNTIL = [r"nicht vor", r"nicht früher als", r"nicht eher als"]
APPROXIMATE = [r"etwa", r"rund", r"ungefähr", r"ca\.", r"circa", r"knapp", r"fast"]
DIFFERENCE = [r"über", r"um", r"mehr als", r"weniger als", r"unter", r"übersteig\w*", r"differenz", r"unterschied",
              r"höher als", r"niedriger als", r"niedriger", r"höher", r"von"]
TOTAL = [r"insgesamt", r"gesamt\w*", r"zusammen", r"summe", r"über \d+ jahre"]
SHARE = [r"% von", r"prozent von", r"rabatt\w*", r"erhöhung\w*", r"mit"]
NEGATION = [r"nicht in der lage", r"nicht imstande", r"nicht", r"kein\w*", r"nie", r"niemals", r"ohne", r"nichts",
            r"weder", r"noch nicht", r"fehlt", r"mehr als (?:wir|ich|sie|er) (?:\w+ )?(?:können|kann)"]
BOUND = [r"bis zu", r"höchstens", r"mindestens", r"maximal", r"minimal", r"zwischen", r"spanne", r"ersten"]
UNLESS = [r"es sei denn", r"außer", r"ausgenommen", r"sofern nicht"]
SUGGESTING = [r"können wir", r"könnten wir", r"sollen wir", r"sollten wir", r"wollen wir"]
ANSWER = [r"bescheid", r"mitteilen", r"rückmeldung", r"bestätigen"]
KNOWN = [r"wir wissen", r"es ist bekannt", r"wir haben bestätigt", r"es ist bestätigt", r"steht fest"]
UNCERTAIN = [r"nicht bekannt", r"nicht klar", r"wissen nicht", r"weiß nicht", r"unbekannt", r"ob", r"unklar", r"ungewiss", r"unsicher", r"vielleicht", r"möglicherweise",
             r"angeblich", r"offene fragen?", r"gerüchten zufolge", r"ungeklärt"]
PENDING = [r"braucht", r"benötigt", r"erfordert", r"muss", r"müssen", r"noch nicht", r"ausstehend", r"geplant",
           r"vorgeschlagen", r"entwurf", r"würde", r"könnte", r"soll"]
COMPLETED = [r"bereits", r"schon", r"hat (?:\w+ )?(?:genehmigt|unterschrieben|akzeptiert|beschlossen|bestätigt|"
             r"zugestimmt|bezahlt)", r"wurde (?:genehmigt|unterschrieben|akzeptiert|beschlossen)"]
FIRST_PERSON = [r"wir", r"unser\w*", r"uns", r"ich", r"mein\w*"]
SECOND_PERSON = [r"ihr", r"ihre\w*", r"ihnen", r"euch", r"euer\w*", r"dein\w*"]
REPORTING = [r"riet", r"rät", r"geraten", r"sagte?", r"schrieb", r"schreibt", r"geschrieben", r"mitgeteilt", r"teilte\w* mit", r"erwähnte?", r"laut", r"e-?mail", r"brief\w*", r"meint\w*",
             r"glaubt\w*"]
PEOPLE_HEADERS = [r"teilnehmer\w*", r"anwesend", r"vorsitz", r"protokoll", r"von", r"verfasst von"]
TITLES = [r"\w*leiter\w*", r"\w*direktor\w*", r"geschäftsführer\w*", r"\w*anwalt", r"\w*anwältin", r"berater\w*",
          r"ingenieur\w*", r"einkäufer\w*", r"vorstand\w*", r"einkauf", r"vertrieb"]
"""Words of a job title or a department (see the English module)."""
SYNONYMS = [("fällig", "zahlbar"), ("bezahlt", "zahlen", "zahlung"), ("fordern", "verlangen", "anfordern"),
            ("obergrenze", "deckel", "höchstbetrag", "begrenzung"), ("jährlich", "jahres"), ("ganz", "voll", "gesamt"),
            ("zurückziehen", "streichen"), ("reduzieren", "senken", "kürzen"), ("ablaufen", "enden", "auslaufen"),
            ("beginnen", "starten"), ("fortsetzen", "weiterführen"), ("kündigen", "beenden"), ("kaufen", "erwerben"),
            ("treffen", "sitzung")]
"""Words that say the same thing (see the English module)."""
VERBS = {
    "request": [r"forder\w*", r"verlang\w*", r"besteh\w* auf", r"wollen", r"möchte\w*", r"brauch\w*", r"bitte\w*",
                r"fragt\w*", r"anfrage\w*", r"voraussetzung", r"muss", r"soll", r"nicht verhandelbar", r"erwarte\w*"],
    "offer": [r"angebot\w*", r"anbiet\w*", r"können wir", r"könnten wir", r"wir können", r"wir könnten", r"biete\w*", r"bietet", r"schlägt\w* vor", r"vorschlag\w*", r"bereit"],
    "promise": [r"versprech\w*", r"versprochen", r"zugesagt", r"zusage\w*", r"garantier\w*", r"verpflicht\w*"],
    "approve": [r"genehmig\w*", r"zugestimmt", r"zustimm\w*", r"akzeptier\w*", r"einverstanden",
                r"unterschr\w*", r"unterzeichn\w*", r"bestätig\w*", r"freigegeben"],
    "decide": [r"beschl\w+", r"entschied\w*", r"entschieden", r"entscheid\w*"],
    "give": [r"stellt", r"gestellt", r"stellen", r"gewährt\w*", r"gibt", r"gab", r"ausgestellt", r"stellt aus"],
    "receive": [r"hält", r"halten", r"gehalten", r"erhält", r"erhalten", r"bekommt", r"bekommen",
                r"hat anspruch auf", r"haben anspruch auf"],
    "refuse": [r"ablehn\w*", r"abgelehnt", r"verweiger\w*", r"lehnt\w* ab"],
    "withdraw": [r"zurückgezogen", r"zurückzieh\w*", r"zieh\w* \w+ zurück", r"zog \w+ zurück", r"verzicht\w*",
                 r"fallen gelassen", r"aufgegeben"],
}
ROLES = {
    "price": [r"\w*gebühr\w*", r"\w*preis\w*", r"\w*kosten", r"\w*entgelt\w*", r"\w*honorar\w*", r"\w*zahlung\w*",
              r"\w*rechnung\w*", r"\w*vergütung\w*"],
    "discount": [r"\w*rabatt\w*", r"\w*nachlass\w*", r"\w*ersparnis\w*", r"\w*einsparung\w*", r"\w*skonto"],
    "ceiling": [r"\w*obergrenze", r"höchstens", r"maximal\w*", r"bis zu", r"gedeckelt", r"\w*deckel"],
    "floor": [r"mindestens", r"\w*untergrenze", r"\w*mindest\w*"],
    "penalty": [r"\w*strafe\w*", r"\w*schadenersatz\w*", r"\w*pauschal\w*", r"\w*gutschrift\w*"],
    "budget": [r"\w*budget\w*"],
    "estimate": [r"\w*schätzung\w*", r"geschätzt\w*", r"\w*prognose\w*"],
    "claim": [r"\w*forderung\w*", r"\w*anspruch\w*", r"\w*nachtrag\w*"],
    "increase": [r"\w*erhöhung\w*", r"\w*steigerung\w*", r"\w*aufschlag\w*", r"steig\w*", r"erhöh\w*"],
    "target": [r"ziel\w*", r"\w+ziel", r"angestrebt\w*", r"anstreb\w*", r"ideal\w*"],
}
ROLE_LABELS = {"chair": [r"vorsitz\w*", r"leitet\w*"], "notes": [r"protokoll\w*"],
               "author": [r"verfasser\w*", r"verfasst von", r"verfasste", r"schrieb"]}
"""See the English module."""
TIMING = {
    "early": [r"vor", r"bevor", r"früh", r"früher", r"vorzeitig", r"rechtzeitig", r"im voraus"],
    "late": [r"nach", r"nachdem", r"spät", r"später", r"verspätet", r"verzögert", r"überfällig"],
}
"""When a thing happens against a date or its due time (see the English module)."""
POLES = {
    "included": [r"inklusive", r"inkl\.?", r"enthalten", r"inbegriffen", r"einschließlich"],
    "excluded": [r"exklusive", r"exkl\.?", r"zuzüglich", r"zzgl\.?", r"ausgenommen"],
    "rising": [r"steig(?:t|en|end\w*)", r"stieg\w*", r"gestiegen", r"wächst", r"wachsen", r"wuchs",
               r"erhöh(?:t|en|te|ten)", r"angehoben", r"hebt \w+ an"],
    "falling": [r"sink(?:t|en|end\w*)", r"sank\w*", r"gesunken", r"fällt", r"fallen", r"fiel\w*", r"rückläufig\w*",
                r"senk(?:t|en|te|ten)", r"gesenkt", r"reduzier\w*", r"kürz(?:t|en|te|ten)", r"gekürzt"],
    "fixed": [r"fest", r"festen", r"fester", r"festpreis\w*"],
    "variable": [r"variabel", r"variable\w*", r"indexiert\w*", r"gleitend\w*"],
    "allowed": [r"erlaubt", r"zulässig", r"gestattet"],
    "forbidden": [r"verboten", r"untersagt", r"unzulässig"],
    "buying": [r"kauf(?:t|en)?", r"gekauft", r"kaufte\w*", r"erwirbt", r"erworben"],
    "selling": [r"verkauf(?:t|en)?", r"verkaufte\w*"],
}
DEGREE = {
    "high": [r"hoch", r"hohe\w*", r"stark\w*", r"gut\w*", r"wahrscheinlich", r"erheblich\w*", r"beträchtlich\w*"],
    "low": [r"niedrig\w*", r"gering\w*", r"schwach\w*", r"mäßig\w*", r"moderat\w*", r"schlecht\w*",
            r"unwahrscheinlich", r"begrenzt\w*", r"klein\w*"],
}
"""How much or how likely, as a judgement (see the English module)."""
DIRECTION = {
    "more": [r"mehr als", r"höher als", r"größer als", r"übersteigt", r"übersteigen"],
    "less": [r"weniger als", r"niedriger als", r"kleiner als", r"unterschreitet"],
}
"""Which way a figure compares (see the English module)."""
PERIODS = {
    "hour": [r"stunden?", r"stündlich", r"pro stunde", r"\w*stundensatz\w*"],
    "day": [r"tage?n?", r"täglich", r"pro tag", r"kalendertag\w*"],
    "week": [r"wochen?", r"wöchentlich"],
    "month": [r"monat\w*", r"monatlich"],
    "year": [r"jahr\w*", r"jährlich", r"p\.a\.", r"pro jahr"],
    "once": [r"einmal\w*", r"bei unterzeichnung"],
}
NUMBER_WORDS = {"ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
                "sieben": 7, "acht": 8,
                "neun": 9, "zehn": 10, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
                "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100}
