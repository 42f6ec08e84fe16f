"""Norwegian (bokmål), with the Danish and Swedish forms that differ."""

DEADLINE = [r"ikke senere enn", r"inte senare än", r"ikke senere end"]
NOT_UNTIL = [r"ikke før", r"ikkje før", r"ikke tidligere enn", r"inte förrän", r"inte före", r"ikke tidligere end"]
APPROXIMATE = [r"omtrent", r"cirka", r"ca\.", r"rundt", r"om lag", r"drøyt", r"nesten", r"ungefär", r"omkring"]
DIFFERENCE = [r"over", r"med", r"mer enn", r"mindre enn", r"under", r"overstiger", r"differanse\w*", r"forskjell\w*",
              r"høyere enn", r"lavere enn", r"lavere", r"høyere", r"fra"]
TOTAL = [r"totalt", r"til sammen", r"samlet", r"i alt", r"sum\w*", r"over \d+ år", r"over hele"]
SHARE = [r"% av", r"prosent av", r"rabatt\w*", r"økning\w*", r"med"]
NEGATION = [r"ikke i stand til", r"ikke i posisjon til", r"ikke", r"ikkje", r"inte", r"ingen", r"intet", r"inget",
            r"inga", r"ingenting", r"aldri", r"aldrig",
            r"uten", r"utan", r"uden", r"kan ikke", r"mangler", r"verken", r"hverken", r"nekt\w*",
            r"mer enn (?:vi|jeg|de|han|hun|dere) kan"]
BOUND = [r"opptil", r"inntil", r"høyst", r"maks\w*", r"minst", r"minimum", r"mellom", r"spenn\w*", r"første"]
UNLESS = [r"med mindre", r"unntatt", r"untatt", r"uten at", r"om inte", r"medmindre"]
SUGGESTING = [r"kan vi", r"kunne vi", r"skal vi", r"bør vi", r"kan dere tenke dere"]
ANSWER = [r"gi beskjed", r"gi oss beskjed", r"si fra", r"gi tilbakemelding", r"bekreft\w*"]
KNOWN = [r"vi vet", r"det er kjent", r"vi har bekreftet", r"det er bekreftet", r"vi vet sikkert"]
UNCERTAIN = [r"ikke kjent", r"inte känt", r"ikke kendt", r"vet ikke", r"vet inte", r"ved ikke", r"ukjent", r"okänt", r"ukendt", r"uklart?", r"oklart?", r"usikkert?", r"osäkert?", r"kanskje",
             r"kanske", r"måske", r"muligens", r"muligvis", r"eventuelt", r"angivelig", r"åpne spørsmål",
             r"åpent spørsmål", r"uavklart\w*", r"ikke avklart"]
PENDING = [r"trenger", r"krever", r"behøver", r"må", r"måste", r"skal", r"ska", r"vil bli", r"ennå ikke",
           r"ikke ennå", r"ännu inte", r"endnu ikke", r"avventer", r"planlagt", r"planlagd", r"neste møte",
           r"foreslått", r"utkast", r"fortsatt", r"fremdeles", r"ville", r"kunne"]
COMPLETED = [r"allerede", r"redan", r"har (?:\w+ )?(?:godkjent|signert|akseptert|vedtatt|besluttet|bekreftet|sendt|"
             r"betalt|godkänt|undertecknat|accepteret|underskrevet)", r"ble (?:godkjent|signert|vedtatt|besluttet)",
             r"blev (?:godkänt|undertecknat)"]
FIRST_PERSON = [r"vi", r"vår", r"vårt", r"våre", r"oss", r"jeg", r"mitt", r"vores",
                r"jag"]
SECOND_PERSON = [r"dere", r"deres", r"du", r"din", r"ditt", r"dine", r"deg"]
REPORTING = [r"rådet", r"råder", r"mente", r"mener", r"sa", r"sier", r"skrev", r"skriver", r"skrevet", r"sagt", r"fortalte", r"nevnte", r"ifølge", r"e-?post\w*", r"brev\w*",
             r"mener", r"mente", r"tror", r"trodde", r"synes"]
PEOPLE_HEADERS = [r"til stede", r"tilstede", r"deltakere", r"deltagere", r"deltagare", r"närvarande", r"møteleder",
                  r"referent", r"ordstyrer", r"fra", r"från", r"skrevet av", r"utarbeidet av"]
TITLES = [r"\w*leder", r"\w*direktør", r"\w*sjef", r"advokat", r"rådgiver", r"ingeniør", r"konsulent",
          r"innkjøper", r"controller", r"økonomi", r"innkjøp", r"drift"]
"""Words of a job title or a department (see the English module)."""
SYNONYMS = [("forfaller", "forfall"), ("betales", "betalt", "betale", "betaling"),
            ("krever", "krav", "kreve", "ønsker"),
            ("tak", "maksimum", "grense", "begrensning"), ("årlig", "årlige"), ("hele", "full", "fullt"),
            ("trekke", "frafalle", "fjerne"), ("redusere", "kutte", "senke"), ("utløpe", "opphøre"),
            ("starte", "begynne"), ("fortsette", "holde"), ("kjøpe", "anskaffe"),
            ("møte", "møtes")]
"""Words that say the same thing (see the English module)."""
VERBS = {
    "request": [r"krev\w*", r"krav\w*", r"forlang\w*", r"insister\w*", r"ønsker", r"ønsket", r"vil ha",
                r"trenger", r"ber(?: \w+)? om", r"bad(?: \w+)? om", r"be om", r"ba(?: \w+)? om", r"bedt", r"spør\w*",
                r"må", r"måste", r"forutsetning\w*",
                r"ikke forhandlingsbar\w*", r"forventer", r"kräv\w*", r"önskar", r"beder om"],
    "offer": [r"tilb\w+", r"vi kan", r"kan vi", r"vi kunne", r"kunne vi", r"foresl\w+", r"forslag\w*", r"villig\w*", r"erbjud\w*", r"föreslå\w*", r"åpen for", r"öppen för"],
    "promise": [r"lov\w*", r"garant\w+", r"forplikt\w*", r"förbind\w*", r"utlov\w*"],
    "approve": [r"godkj\w+", r"godkän\w*", r"godkend\w*", r"aksept\w*", r"accept\w*", r"samtykk\w*", r"enig\w*",
                r"signer\w*", r"signatur", r"underskr\w+", r"underteckn\w*", r"bekreft\w*", r"bekräft\w*",
                r"fullmakt\w*", r"gå(?:r|tt)? med på", r"gikk med på"],
    "decide": [r"beslut\w*", r"vedt\w*", r"bestem\w*"],
    "give": [r"stiller", r"stilte", r"utsteder", r"utstedt\w*", r"gir", r"ga", r"gitt", r"innvilg\w*", r"ställer"],
    "receive": [r"innehar", r"mottar", r"mottok", r"mottatt", r"får", r"fikk", r"erhåller", r"har krav på",
                r"har rett til"],
    "refuse": [r"avvis\w*", r"avslå\w*", r"avslo", r"nekt\w*", r"vägr\w*", r"afvis\w*", r"ville ikke"],
    "withdraw": [r"trukket tilbake", r"trekk\w* tilbake", r"trakk tilbake", r"frafal\w*", r"droppe[tr]", r"gitt opp",
                 r"ga opp", r"återkall\w*"],
}
ROLES = {
    "price": [r"\w*gebyr\w*", r"\w*pris\w*", r"\w*avgift\w*", r"\w*kostnad\w*", r"\w*kostnader", r"\w*omkostning\w*",
              r"\w*betaling\w*", r"\w*betalning\w*", r"\w*faktur\w*", r"\w*honorar\w*", r"\w*vederlag\w*",
              r"sats\w*", r"betal\w*"],
    "discount": [r"\w*rabatt\w*", r"\w*avslag", r"\w*besparels\w*", r"\w*besparing\w*", r"\w*reduksjon\w*",
                 r"\w*nedsett\w*"],
    "ceiling": [r"\w*tak", r"taket", r"maks\w*", r"høyst", r"högst", r"højst", r"inntil", r"opptil", r"upp till",
                r"begrens\w*", r"\w*grense", r"ikke over", r"ikke overstige"],
    "floor": [r"minst", r"minimum", r"mindst", r"gulv", r"eller mer", r"minimal\w*"],
    "penalty": [r"\w*bot", r"\w*bøter", r"dagbot\w*", r"\w*mulkt\w*", r"erstatning\w*", r"\w*vite", r"sanksjon\w*",
                r"kompensasjon\w*", r"\w*kreditt\w*"],
    "budget": [r"\w*budsjett\w*", r"\w*budget\w*", r"ramme\w*"],
    "estimate": [r"\w*anslag\w*", r"\w*estimat\w*", r"anslått", r"beregnet", r"prognos\w*"],
    "claim": [r"\w*krav\w*"],
    "increase": [r"\w*økning\w*", r"\w*ökning\w*", r"\w*stigning\w*", r"øke\w*", r"\w*tillegg\w*", r"høyere",
                 r"högre", r"går opp", r"gå opp", r"stige\w*"],
    "target": [r"mål", r"målet", r"målsetning\w*", r"\w+mål", r"målpris\w*", r"ideelt"],
}
ROLE_LABELS = {"chair": [r"møteleder\w*", r"ordstyrer\w*", r"ledet"], "notes": [r"referent\w*", r"referat\w*"],
               "author": [r"forfatter\w*", r"skrevet av", r"utarbeidet av", r"skrev"]}
"""See the English module."""
TIMING = {
    "early": [r"før", r"innen", r"tidlig", r"tidligere", r"i forkant", r"i tide", r"innan", r"tidigt", r"i förväg"],
    "late": [r"etter", r"efter", r"senere", r"for sent", r"forsinket", r"forsinkelse\w*", r"försenad",
             r"forfalt", r"forfallen"],
}
"""When a thing happens against a date or its due time (see the English module)."""
POLES = {
    "included": [r"inkl\.?", r"inkludert", r"inklusive", r"innbefattet", r"inngår", r"inräknad"],
    "excluded": [r"ekskl\.?", r"eksklusive", r"kommer i tillegg", r"exkl\.?", r"exklusive"],
    "rising": [r"øk(?:er|te|t|ende)", r"stig(?:er|ende)", r"steg", r"steget", r"vokser", r"vokste", r"ökar",
               r"ökade", r"hev(?:er|et|de)", r"øke"],
    "falling": [r"synk(?:er|ende)", r"sank", r"sunket", r"fall(?:er|ende)", r"falt", r"minsk(?:er|et|ar|ade)",
                r"kutt(?:er|et|a)", r"redus(?:ere|erer|ert|erte)", r"senk(?:e|er|et|a|te)"],
    "fixed": [r"fast", r"faste", r"fastpris\w*"],
    "variable": [r"variabel", r"variable", r"flytende", r"indeksert\w*", r"indeksregulert\w*"],
    "allowed": [r"tillat(?:t|er)?", r"tillåt(?:et|er)?", r"lov å"],
    "forbidden": [r"forbudt", r"forbyr", r"forbud", r"förbjud\w*", r"ikke lov"],
    "buying": [r"kjøp(?:er|te|t)?", r"köp(?:er|te|t)?"],
    "selling": [r"selg(?:er)?", r"solgte?", r"sälj\w*", r"sålde"],
}
DEGREE = {
    "high": [r"høy", r"høye", r"høyt", r"hög", r"høj", r"sterk", r"sterke", r"stark", r"stærk", r"god", r"gode",
             r"godt", r"sannsynlig", r"sannolik", r"sandsynlig", r"betydelig", r"betydande"],
    "low": [r"lav", r"lave", r"lavt", r"låg", r"svak", r"svake", r"svag", r"moderat", r"moderate", r"dårlig",
            r"usannsynlig", r"osannolik", r"begrenset", r"begränsad", r"liten", r"lite"],
}
"""How much or how likely, as a judgement (see the English module)."""
DIRECTION = {
    "more": [r"mer enn", r"flere enn", r"høyere enn", r"større enn", r"overstiger", r"i overkant av"],
    "less": [r"mindre enn", r"færre enn", r"lavere enn", r"i underkant av"],
}
"""Which way a figure compares (see the English module)."""
PERIODS = {
    "hour": [r"time", r"timer", r"timen", r"per time", r"i timen", r"timepris\w*", r"timme", r"timmar", r"\w*timesats\w*"],
    "day": [r"dag", r"dager", r"dagen", r"dagar", r"dage", r"daglig\w*", r"døgn\w*", r"per dag"],
    "week": [r"uke\w*", r"vecka", r"veckor", r"uge\w*"],
    "month": [r"måned\w*", r"månad\w*", r"månatlig"],
    "year": [r"år", r"året", r"årlig\w*", r"per år", r"pr\. år", r"årsbasis"],
    "once": [r"engangs\w*", r"engång\w*", r"ved signering", r"oppstart\w*", r"etablering\w*"],
}
NUMBER_WORDS = {"ett": 1, "én": 1, "to": 2, "två": 2, "tre": 3, "fire": 4, "fyra": 4, "fem": 5, "seks": 6,
                "sex": 6, "sju": 7, "syv": 7, "åtte": 8, "åtta": 8, "otte": 8, "ni": 9, "nio": 9,
                "ti": 10, "tio": 10, "elleve": 11, "tolv": 12, "femten": 15, "tjue": 20, "tjugo": 20, "tyve": 20,
                "tretti": 30, "trettio": 30, "førti": 40, "femti": 50, "seksti": 60, "sytti": 70, "åtti": 80,
                "nitti": 90, "hundre": 100}
