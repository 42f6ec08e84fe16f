"""The report's own words in the brief's language (English, Norwegian bokmål, German): every fixed label the
Markdown, HTML and Word renderers print around the report's contents. Text a model or the materials wrote is never
translated; an agent's section titles and labels are its own (`Agent.words`)."""

from __future__ import annotations

import re
from pipeline.brief.compose import language_code
from pipeline.review.brief import BYLINE

EN = {
    **BYLINE,
    "title": "Negotiation preparation: {title}",
    "brief": "Negotiation preparation brief",
    "page_title": "{title} · negotiation preparation",
    "prepared_for": "Prepared for",
    "review": "Review",
    "reviewer_notes": "Reviewer's notes",
    "reviewer_note": "Reviewer's note",
    "our_side": "Our side",
    "counterpart": "Counterpart",
    "documents": "Documents",
    "document": "Document",
    "tokens": "{n} tokens",
    "approximate": "approximate",
    "approx": "approx.",
    "support": "The model's statements found in the materials",
    "quoted": "Lines from your notes",
    "deadline": "Deadline",
    "materials": "Materials",
    "n_documents": ("{n} document", "{n} documents"),
    "found": "Found in the materials",
    "of_statements": "{n} of the model's statements",
    "from_notes": "from your notes",
    "n_quoted": ("{n} line quoted", "{n} lines quoted"),
    "prepared": "Prepared",
    "percent": "{n}%",
    "withheld": ("{n} passage of the materials read like instructions to the model and was withheld from it",
                 "{n} passages of the materials read like instructions to the model and were withheld from it"),
    "withheld_label": "Withheld",
    "under_warnings": "(quoted under Warnings)",
    "notice": ("Drafted by language models from the case materials. **Verified** items are said in a passage of the "
               "materials that the claim checker found ({where}); **from your notes** items are lines copied from our "
               "own notes; **inference** items are judgements, not facts; for anything marked **{check}** the checker "
               "found no passage that says it, or one that says otherwise."),
    "shown_with_each": "shown with each",
    "in_footnotes": "in the footnotes",
    "contents": "Contents",
    # passages
    "passage": "passage found by the checker",
    "passage_inference": "the line that suggests it",
    "passage_read": "the line the figure or date was read from",
    "passage_excerpt": "in the materials' own words",
    "passage_contradicted": "passage found by the checker that says otherwise",
    "passage_weak": "passage found by the checker, which does not say it",
    "match": "match {n}%",
    "not_found": "not found in the materials",
    "no_document": "document not named",
    # an item's status
    "inference": "inference",
    "inference_title": "A judgement drawn from the materials, not a stated fact",
    "basis": "basis",
    "confidence": "confidence",
    "confidences": {"low": "low", "medium": "medium", "high": "high"},
    "verified": "verified",
    "evidence_verified": "evidence verified",
    "verified_title": "The claim checker found a passage of the materials that says it",
    "quoted_title": "A line copied from our own notes, not a model's statement",
    "in_their_words": "in their words",
    "excerpt_title": "A sentence of the materials shown in its own words, not a model's statement",
    "check_before_use": "check before use",
    "contradicted": "contradicted",
    "says_otherwise": "the materials say otherwise",
    "contradicted_title": "A passage of the materials says otherwise",
    "weak": "the passage found does not say it",
    "weak_title": "The passage found by the checker is about it but does not say it",
    "unverified_title": "No passage of the materials says it",
    "planted": "it repeats instruction-like text planted in the materials",
    "not_checked": "not checked",
    "not_checked_title": "Not checked against the materials",
    "dimensions": {"process": "process", "relationship": "relationship", "substance": "substance"},
    "sides": {"ours": "ours", "theirs": "theirs", "both": "both"},
    "side_labels": {"ours": "our side", "theirs": "their side", "both": "both sides"},
    "roles": {"our_side": "our side", "counterpart": "counterpart", "third_party": "third party"},
    "alternative_types": {"batna": "BATNA", "partial": "partial alternative"},
    "alternative_tags": {"batna": "batna", "partial": "partial"},
    "strengths": {"weak": "weak", "moderate": "moderate", "strong": "strong"},
    "styles": {"competitive": "competitive", "collaborative": "collaborative", "compromising": "compromising",
               "avoiding": "avoiding", "accommodating": "accommodating"},
    "style": "{style} style",
    "grounded_in": "Grounded in",
    "see": "see",
    # the review
    "edited": "edited by {by} on {at}; the model wrote: \u201c{original}\u201d",
    "edited_by": "edited by {by}",
    "accepted_by": "accepted by {by}",
    "checked": "checked by {by} on {at}",
    "checked_by": "checked by {by}",
    "basis_changed": "basis changed",
    "basis_changed_line": "basis changed since the review: the brief was prepared again and the passages it rests on "
                          "changed",
    "note": "note by {by} ({at}): {text}",
    # check before use
    "unverified_items": "Unverified items",
    "left_brief": "Left out of this brief (report.json keeps each with its reason; `--show-unconfirmed` lists the model's statements here): {parts}.",
    "left_statements": ("{n} statement of the model the claim checker did not confirm", "{n} statements of the model the claim checker did not confirm"),
    "left_repeats": ("{n} item repeating another", "{n} items repeating others"),
    "left_cut": ("{n} answer cut off mid-sentence", "{n} answers cut off mid-sentence"),
    "left_advice": ("{n} piece of advice from a model too small for advice", "{n} pieces of advice from a model too small for advice"),
    "left_inferences": ("{n} inference about {them} that no line suggests", "{n} inferences about {them} that no line suggests"),
    "left_missing": ("{n} model line on missing information", "{n} model lines on missing information"),
    "set_apart": ("The model wrote these statements, but the claim checker found no passage of the materials that says "
                  "them, or found one that says otherwise, or they repeat instruction-like text planted in the "
                  "materials. They are not part of the brief: check them before any use."),
    "model_wrote": "the model wrote \u201c{text}\u201d",
    "no_passage": "no passage of the materials says it",
    "where_column": "Where",
    "statement": "Statement",
    "problems": "Problems found",
    "removed_contradicted": "Removed from the brief: the materials say otherwise",
    "removed_contradicted_why": ("The models wrote these sentences, but a passage of the materials says otherwise "
                                 "(quoted with each); they were taken out of the brief."),
    "removed_planted": "Removed from the brief: it repeated planted instructions",
    "removed_planted_why": ("The models wrote these sentences, but they repeat text of the materials that reads like "
                            "an instruction to the model; they were taken out of the brief."),
    # warnings
    "warnings": "Warnings",
    "listed_above": "{n} statements the checker could not confirm are listed above under \"check before use\".",
    "unverified_warnings": ("{n} unverified-evidence warning (the items are listed under \u201cCheck before use\u201d)",
                            "{n} unverified-evidence warnings (the items are listed under \u201cCheck before use\u201d)"),
    "no_warnings": "No warnings about the materials or the run.",
    "code_column": "Code",
    "message": "Message",
    "codes": {},
    "notices": {},
    # the knowledge base
    "kb_used": "Knowledge-base entries used",
    "kb_appendix": "Appendix: knowledge-base concepts cited",
    "kb": "Knowledge base",
    "sources": "Sources",
    "kb_missing": "not found in the knowledge base used for rendering",
    # rehearsals
    "rehearsals": "Rehearsals",
    "rehearsals_intro": "Practice conversations with the simulated counterpart ({command}), saved beside this report.",
    "rehearsal": "Rehearsal {n}",
    "rehearsal_review": "review and transcript",
    "rehearsal_data": "data",
    # provenance
    "provenance": "Provenance",
    "backend": "backend",
    "model": "model",
    "model_calls": "{n} model calls",
    "call_tokens": "{prompt} prompt + {completion} completion tokens",
    "prompts": "Prompts",
    "started": "Started",
    "total_time": "Total time",
    "calls": "Model calls",
    "found_share": "{n} of the model's statements checked as facts",
    "found_with_notes": "({n} with the {quoted} lines from your notes)",
    "sentences_checked": "Sentences checked",
    "sentences_checked_line": "{n} sentences of the brief's texts holding a figure, a date or a party's words",
    "contradicted_line": "{n} statements set apart or removed: the materials say otherwise",
    "token_count": "Token count",
    "kb_retrieved": "Knowledge base retrieved",
    "kind": "Kind",
    "characters": "Characters",
    "tokens_column": "Tokens",
    "units": "Units",
    "node": "Node",
    "prompt": "Prompt",
    "version": "Version",
    "file": "File",
    "attempt": "Attempt",
    "prompt_tokens": "Prompt tokens",
    "completion_tokens": "Completion tokens",
    "cache": "Cache",
    "outcome": "Outcome",
    "seconds": "Seconds",
    "total": "Total",
    "no_calls": "No model calls were recorded.",
    "node_times": "Time per node",
    "case": "case",
    "locators": {},
    "decimal": ".",
    "thousands": ",",
}

NO = {
    "draft": "Utkast: ikke gjennomgått ennå",
    "reviewed": "Gjennomgått av {reviewers}; ikke godkjent ennå",
    "approved": "Godkjent av {by} {at}; gjennomgått av {reviewers}",
    "title": "Forhandlingsforberedelse: {title}",
    "brief": "Forberedelse til forhandling",
    "page_title": "{title} · forhandlingsforberedelse",
    "prepared_for": "Utarbeidet for",
    "review": "Gjennomgang",
    "reviewer_notes": "Merknader fra gjennomgangen",
    "reviewer_note": "Merknad fra gjennomgangen",
    "our_side": "Vår side",
    "counterpart": "Motpart",
    "documents": "Dokumenter",
    "document": "Dokument",
    "tokens": "{n} tokens",
    "approximate": "omtrentlig",
    "approx": "ca.",
    "support": "Modellens utsagn som finnes i materialet",
    "quoted": "Linjer fra våre notater",
    "deadline": "Frist",
    "materials": "Materiale",
    "n_documents": ("{n} dokument", "{n} dokumenter"),
    "found": "Funnet i materialet",
    "of_statements": "{n} av modellens utsagn",
    "from_notes": "fra våre notater",
    "n_quoted": ("{n} linje sitert", "{n} linjer sitert"),
    "prepared": "Utarbeidet",
    "percent": "{n} %",
    "withheld": ("{n} avsnitt i materialet leste som en instruks til modellen og ble holdt tilbake fra den",
                 "{n} avsnitt i materialet leste som instrukser til modellen og ble holdt tilbake fra den"),
    "withheld_label": "Holdt tilbake",
    "under_warnings": "(sitert under Advarsler)",
    "notice": ("Utarbeidet av språkmodeller fra sakens materiale. **Bekreftede** punkter står i et avsnitt av "
               "materialet som faktasjekken fant ({where}); punkter **fra våre notater** er linjer kopiert fra våre "
               "egne notater; **vurderinger** er skjønn, ikke fakta; for alt som er merket **{check}**, fant "
               "faktasjekken ikke noe avsnitt som sier det, eller ett som sier noe annet."),
    "shown_with_each": "vist ved hvert punkt",
    "in_footnotes": "i fotnotene",
    "contents": "Innhold",
    "passage": "avsnitt funnet av faktasjekken",
    "passage_inference": "linjen som tyder på det",
    "passage_read": "linjen tallet eller datoen er lest fra",
    "passage_excerpt": "med materialets egne ord",
    "passage_contradicted": "avsnitt funnet av faktasjekken, som sier noe annet",
    "passage_weak": "avsnitt funnet av faktasjekken, som ikke sier dette",
    "match": "samsvar {n} %",
    "not_found": "ikke funnet i materialet",
    "no_document": "dokument ikke oppgitt",
    "inference": "vurdering",
    "inference_title": "En vurdering ut fra materialet, ikke et uttalt faktum",
    "basis": "grunnlag",
    "confidence": "sikkerhet",
    "confidences": {"low": "lav", "medium": "middels", "high": "høy"},
    "verified": "bekreftet",
    "evidence_verified": "belegg bekreftet",
    "verified_title": "Faktasjekken fant et avsnitt i materialet som sier dette",
    "quoted_title": "En linje kopiert fra våre egne notater, ikke et utsagn fra modellen",
    "in_their_words": "med egne ord",
    "excerpt_title": "En setning fra materialet gjengitt ordrett, ikke et utsagn fra modellen",
    "check_before_use": "kontroller før bruk",
    "contradicted": "motsagt",
    "says_otherwise": "materialet sier noe annet",
    "contradicted_title": "Et avsnitt i materialet sier noe annet",
    "weak": "avsnittet som ble funnet, sier ikke dette",
    "weak_title": "Avsnittet faktasjekken fant, handler om dette, men sier det ikke",
    "unverified_title": "Ingen avsnitt i materialet sier dette",
    "planted": "gjentar instrukslignende tekst plantet i materialet",
    "not_checked": "ikke kontrollert",
    "not_checked_title": "Ikke kontrollert mot materialet",
    "dimensions": {"process": "prosess", "relationship": "relasjon", "substance": "sak"},
    "sides": {"ours": "vi", "theirs": "motparten", "both": "begge"},
    "side_labels": {"ours": "vår side", "theirs": "motparten", "both": "begge sider"},
    "roles": {"our_side": "vår side", "counterpart": "motpart", "third_party": "tredjepart"},
    "alternative_types": {"batna": "BATNA", "partial": "delvis alternativ"},
    "alternative_tags": {"batna": "BATNA", "partial": "delvis"},
    "strengths": {"weak": "svakt", "moderate": "middels", "strong": "sterkt"},
    "styles": {"competitive": "konkurrerende", "collaborative": "samarbeidende", "compromising": "kompromissøkende",
               "avoiding": "unnvikende", "accommodating": "imøtekommende"},
    "style": "{style} stil",
    "grounded_in": "Bygger på",
    "see": "se",
    "edited": "endret av {by} {at}; modellen skrev: «{original}»",
    "edited_by": "endret av {by}",
    "accepted_by": "godtatt av {by}",
    "checked": "kontrollert av {by} {at}",
    "checked_by": "kontrollert av {by}",
    "basis_changed": "grunnlaget endret",
    "basis_changed_line": "grunnlaget er endret siden gjennomgangen: forberedelsen ble kjørt på nytt, og avsnittene "
                          "punktet bygger på, er endret",
    "note": "merknad fra {by} ({at}): {text}",
    "unverified_items": "Ubekreftede punkter",
    "left_brief": "Utelatt fra notatet (report.json beholder hvert med grunnen; `--show-unconfirmed` viser modellens utsagn her): {parts}.",
    "left_statements": ("{n} utsagn fra modellen som faktasjekken ikke bekreftet", "{n} utsagn fra modellen som faktasjekken ikke bekreftet"),
    "left_repeats": ("{n} punkt som gjentok et annet", "{n} punkter som gjentok andre"),
    "left_cut": ("{n} svar kuttet midt i en setning", "{n} svar kuttet midt i en setning"),
    "left_advice": ("{n} råd fra en modell for liten til råd", "{n} råd fra en modell for liten til råd"),
    "left_inferences": ("{n} slutning om {them} som ingen linje tyder på", "{n} slutninger om {them} som ingen linje tyder på"),
    "left_missing": ("{n} modellinje om manglende informasjon", "{n} modellinjer om manglende informasjon"),
    "set_apart": ("Modellen skrev disse utsagnene, men faktasjekken fant ikke noe avsnitt i materialet som sier dem, "
                  "eller fant ett som sier noe annet, eller de gjentar instrukslignende tekst plantet i materialet. De "
                  "er ikke en del av forberedelsen: kontroller dem før de brukes."),
    "model_wrote": "modellen skrev «{text}»",
    "no_passage": "ingen avsnitt i materialet sier dette",
    "where_column": "Hvor",
    "statement": "Utsagn",
    "problems": "Funn",
    "removed_contradicted": "Tatt ut: materialet sier noe annet",
    "removed_contradicted_why": ("Modellene skrev disse setningene, men et avsnitt i materialet sier noe annet "
                                 "(sitert ved hver); de er tatt ut av forberedelsen."),
    "removed_planted": "Tatt ut: gjentok plantede instrukser",
    "removed_planted_why": ("Modellene skrev disse setningene, men de gjentar tekst i materialet som leser som en "
                            "instruks til modellen; de er tatt ut av forberedelsen."),
    "warnings": "Advarsler",
    "listed_above": "{n} utsagn som faktasjekken ikke kunne bekrefte, står ovenfor under «kontroller før bruk».",
    "unverified_warnings": ("{n} advarsel om ubekreftet belegg (punktene står under «Kontroller før bruk»)",
                            "{n} advarsler om ubekreftet belegg (punktene står under «Kontroller før bruk»)"),
    "no_warnings": "Ingen advarsler om materialet eller kjøringen.",
    "code_column": "Kode",
    "message": "Melding",
    "notices": {
        "missing": "{n} linjer om manglende informasjon utelatt: skrevet av en modell for liten til å se hva materialet "
                   "lar stå åpent (`model_prose` av); første side nevner det som må avklares",
        "inferences": ("{n} slutning om {them} utelatt: ingen linje i materialet tyder på den",
                       "{n} slutninger om {them} utelatt: ingen linje i materialet tyder på dem"),
        "repeats": ("{n} punkt som gjentok et annet med andre ord er utelatt",
                    "{n} punkter som gjentok et annet med andre ord er utelatt"),
        "cut": ("{n} punkt kuttet ved svarets lengde, uten en hel setning, er utelatt",
                "{n} punkter kuttet ved svarets lengde, uten en hel setning, er utelatt"),
        "advice": "råd utelatt fra {where}: {said}",
        "translated": ("{done} av {n} tekster modellene skrev på et annet språk er omformulert på norsk av "
                       "oversettelsessteget (en liten modells omformulering kan være klosset eller endre meningen: "
                       "report.json har hver original under provenance.translations)"),
        "translated_kept": "; {kept} står som skrevet: omformuleringen endret et tall, mistet en plassholder eller var ikke på norsk",
        "where": {"the briefing": "orienteringen", "the fixed-pie challenge": "utfordringen av den faste kaken",
                  "the counterpart guidance": "rådene om motparten"},
        "reasons": {"concedes": "gir noe for ingenting", "stale": "allerede gjort eller forfalt før det nyeste dokumentet",
                    "small": "skrevet av en modell for liten til å gi råd (`model_prose` av)"},
    },
    "codes": {"left-out": "utelatt", "translated": "oversatt", "number": "tall", "citation": "henvisning",
              "language": "språk", "chunked": "delt opp", "budget": "budsjett", "contradicted": "motsagt",
              "contradicted-removed": "motsagt, tatt ut", "document": "dokument", "echo": "ekko",
              "echo-removed": "ekko, tatt ut", "injection": "instruks", "pseudonymized": "pseudonymisert",
              "skipped": "hoppet over", "unverified": "ubekreftet", "weak": "svakt belegg"},
    "kb_used": "Brukte oppslag i kunnskapsbasen",
    "kb_appendix": "Vedlegg: begreper fra kunnskapsbasen",
    "kb": "Kunnskapsbase",
    "sources": "Kilder",
    "kb_missing": "ikke funnet i kunnskapsbasen som ble brukt",
    "rehearsals": "Øvelser",
    "rehearsals_intro": "Øvingssamtaler med den simulerte motparten ({command}), lagret ved siden av denne rapporten.",
    "rehearsal": "Øvelse {n}",
    "rehearsal_review": "gjennomgang og utskrift",
    "rehearsal_data": "data",
    "provenance": "Opphav",
    "backend": "backend",
    "model": "modell",
    "model_calls": "{n} modellkall",
    "call_tokens": "{prompt} prompt- + {completion} svartokens",
    "prompts": "Prompter",
    "started": "Startet",
    "total_time": "Samlet tid",
    "calls": "Modellkall",
    "found_share": "{n} av modellens utsagn kontrollert som fakta",
    "found_with_notes": "({n} med de {quoted} linjene fra våre notater)",
    "sentences_checked": "Setninger kontrollert",
    "sentences_checked_line": "{n} setninger i forberedelsens tekster med et tall, en dato eller en parts ord",
    "contradicted_line": "{n} utsagn satt til side eller tatt ut: materialet sier noe annet",
    "token_count": "Antall tokens",
    "kb_retrieved": "Hentet fra kunnskapsbasen",
    "kind": "Type",
    "characters": "Tegn",
    "tokens_column": "Tokens",
    "units": "Enheter",
    "node": "Node",
    "prompt": "Prompt",
    "version": "Versjon",
    "file": "Fil",
    "attempt": "Forsøk",
    "prompt_tokens": "Prompt-tokens",
    "completion_tokens": "Svartokens",
    "cache": "Cache",
    "outcome": "Utfall",
    "seconds": "Sekunder",
    "total": "Sum",
    "no_calls": "Ingen modellkall ble registrert.",
    "node_times": "Tid per node",
    "case": "sak",
    "locators": {"line": "linje", "lines": "linjer", "page": "side", "paragraph": "avsnitt", "table": "tabell",
                 "row": "rad", "header": "hode", "html comment": "HTML-kommentar", "and": "og"},
    "decimal": ",",
    "thousands": "\u00a0",
}

DE = {
    "draft": "Entwurf: noch nicht durchgesehen",
    "reviewed": "Durchgesehen von {reviewers}; noch nicht freigegeben",
    "approved": "Freigegeben von {by} am {at}; durchgesehen von {reviewers}",
    "title": "Verhandlungsvorbereitung: {title}",
    "brief": "Verhandlungsvorbereitung",
    "page_title": "{title} · Verhandlungsvorbereitung",
    "prepared_for": "Erstellt für",
    "review": "Durchsicht",
    "reviewer_notes": "Anmerkungen aus der Durchsicht",
    "reviewer_note": "Anmerkung aus der Durchsicht",
    "our_side": "Unsere Seite",
    "counterpart": "Gegenseite",
    "documents": "Dokumente",
    "document": "Dokument",
    "tokens": "{n} Tokens",
    "approximate": "ungefähr",
    "approx": "ca.",
    "support": "In den Unterlagen belegte Aussagen des Modells",
    "quoted": "Zeilen aus unseren Notizen",
    "deadline": "Frist",
    "materials": "Unterlagen",
    "n_documents": ("{n} Dokument", "{n} Dokumente"),
    "found": "In den Unterlagen belegt",
    "of_statements": "{n} der Aussagen des Modells",
    "from_notes": "aus unseren Notizen",
    "n_quoted": ("{n} Zeile zitiert", "{n} Zeilen zitiert"),
    "prepared": "Erstellt",
    "percent": "{n} %",
    "withheld": ("{n} Passage der Unterlagen las sich wie eine Anweisung an das Modell und wurde ihm vorenthalten",
                 "{n} Passagen der Unterlagen lasen sich wie Anweisungen an das Modell und wurden ihm vorenthalten"),
    "withheld_label": "Vorenthalten",
    "under_warnings": "(zitiert unter Warnungen)",
    "notice": ("Von Sprachmodellen aus den Unterlagen des Falls entworfen. **Belegte** Punkte stehen in einer Passage "
               "der Unterlagen, die die Faktenprüfung gefunden hat ({where}); Punkte **aus unseren Notizen** sind aus "
               "unseren eigenen Notizen kopierte Zeilen; **Einschätzungen** sind Urteile, keine Fakten; bei allem, was "
               "mit **{check}** markiert ist, fand die Faktenprüfung keine Passage, die es sagt, oder eine, die "
               "etwas anderes sagt."),
    "shown_with_each": "bei jedem Punkt gezeigt",
    "in_footnotes": "in den Fußnoten",
    "contents": "Inhalt",
    "passage": "von der Faktenprüfung gefundene Passage",
    "passage_inference": "die Zeile, die darauf hindeutet",
    "passage_read": "die Zeile, aus der die Zahl oder das Datum stammt",
    "passage_excerpt": "im Wortlaut der Unterlagen",
    "passage_contradicted": "von der Faktenprüfung gefundene Passage, die etwas anderes sagt",
    "passage_weak": "von der Faktenprüfung gefundene Passage, die es nicht sagt",
    "match": "Übereinstimmung {n} %",
    "not_found": "nicht in den Unterlagen gefunden",
    "no_document": "Dokument nicht genannt",
    "inference": "Einschätzung",
    "inference_title": "Ein aus den Unterlagen gezogener Schluss, keine belegte Tatsache",
    "basis": "Grundlage",
    "confidence": "Sicherheit",
    "confidences": {"low": "niedrig", "medium": "mittel", "high": "hoch"},
    "verified": "belegt",
    "evidence_verified": "Beleg bestätigt",
    "verified_title": "Die Faktenprüfung fand eine Passage der Unterlagen, die es sagt",
    "quoted_title": "Eine aus unseren eigenen Notizen kopierte Zeile, keine Aussage des Modells",
    "in_their_words": "im Wortlaut",
    "excerpt_title": "Ein Satz der Unterlagen im Wortlaut, keine Aussage des Modells",
    "check_before_use": "vor Gebrauch prüfen",
    "contradicted": "widersprochen",
    "says_otherwise": "die Unterlagen sagen etwas anderes",
    "contradicted_title": "Eine Passage der Unterlagen sagt etwas anderes",
    "weak": "die gefundene Passage sagt es nicht",
    "weak_title": "Die von der Faktenprüfung gefundene Passage handelt davon, sagt es aber nicht",
    "unverified_title": "Keine Passage der Unterlagen sagt es",
    "planted": "wiederholt anweisungsartigen Text, der in die Unterlagen eingeschleust wurde",
    "not_checked": "nicht geprüft",
    "not_checked_title": "Nicht gegen die Unterlagen geprüft",
    "dimensions": {"process": "Prozess", "relationship": "Beziehung", "substance": "Sache"},
    "sides": {"ours": "wir", "theirs": "Gegenseite", "both": "beide"},
    "side_labels": {"ours": "unsere Seite", "theirs": "Gegenseite", "both": "beide Seiten"},
    "roles": {"our_side": "unsere Seite", "counterpart": "Gegenseite", "third_party": "Dritte"},
    "alternative_types": {"batna": "BATNA", "partial": "Teilalternative"},
    "alternative_tags": {"batna": "BATNA", "partial": "Teilalternative"},
    "strengths": {"weak": "schwach", "moderate": "mittel", "strong": "stark"},
    "styles": {"competitive": "kompetitiv", "collaborative": "kooperativ", "compromising": "kompromissorientiert",
               "avoiding": "vermeidend", "accommodating": "entgegenkommend"},
    "style": "Stil: {style}",
    "grounded_in": "Gestützt auf",
    "see": "siehe",
    "edited": "bearbeitet von {by} am {at}; das Modell schrieb: „{original}“",
    "edited_by": "bearbeitet von {by}",
    "accepted_by": "angenommen von {by}",
    "checked": "geprüft von {by} am {at}",
    "checked_by": "geprüft von {by}",
    "basis_changed": "Grundlage geändert",
    "basis_changed_line": "Grundlage seit der Durchsicht geändert: die Vorbereitung wurde neu erstellt, und die "
                          "Passagen, auf denen der Punkt beruht, haben sich geändert",
    "note": "Anmerkung von {by} ({at}): {text}",
    "unverified_items": "Unbestätigte Punkte",
    "left_brief": "Hier ausgelassen (report.json behält jedes mit seinem Grund; `--show-unconfirmed` listet die Aussagen des Modells hier auf): {parts}.",
    "left_statements": ("{n} Aussage des Modells, die die Faktenprüfung nicht bestätigt hat", "{n} Aussagen des Modells, die die Faktenprüfung nicht bestätigt hat"),
    "left_repeats": ("{n} Punkt, der einen anderen wiederholt", "{n} Punkte, die andere wiederholen"),
    "left_cut": ("{n} mitten im Satz abgeschnittene Antwort", "{n} mitten im Satz abgeschnittene Antworten"),
    "left_advice": ("{n} Rat eines für Ratschläge zu kleinen Modells", "{n} Ratschläge eines für Ratschläge zu kleinen Modells"),
    "left_inferences": ("{n} Schluss über {them}, den keine Zeile nahelegt", "{n} Schlüsse über {them}, die keine Zeile nahelegt"),
    "left_missing": ("{n} Zeile des Modells zu fehlenden Informationen", "{n} Zeilen des Modells zu fehlenden Informationen"),
    "set_apart": ("Das Modell hat diese Aussagen geschrieben, aber die Faktenprüfung fand keine Passage der Unterlagen, "
                  "die sie sagt, oder eine, die etwas anderes sagt, oder sie wiederholen anweisungsartigen Text, der in "
                  "die Unterlagen eingeschleust wurde. Sie gehören nicht zur Vorbereitung: vor jedem Gebrauch prüfen."),
    "model_wrote": "das Modell schrieb „{text}“",
    "no_passage": "keine Passage der Unterlagen sagt es",
    "where_column": "Wo",
    "statement": "Aussage",
    "problems": "Befunde",
    "removed_contradicted": "Entfernt: die Unterlagen sagen etwas anderes",
    "removed_contradicted_why": ("Die Modelle haben diese Sätze geschrieben, aber eine Passage der Unterlagen sagt "
                                 "etwas anderes (jeweils zitiert); sie wurden aus der Vorbereitung entfernt."),
    "removed_planted": "Entfernt: wiederholte eingeschleuste Anweisungen",
    "removed_planted_why": ("Die Modelle haben diese Sätze geschrieben, aber sie wiederholen Text der Unterlagen, der "
                            "sich wie eine Anweisung an das Modell liest; sie wurden aus der Vorbereitung entfernt."),
    "warnings": "Warnungen",
    "listed_above": "{n} Aussagen, die die Faktenprüfung nicht bestätigen konnte, stehen oben unter „vor Gebrauch prüfen“.",
    "unverified_warnings": ("{n} Warnung zu unbestätigten Belegen (die Punkte stehen unter „Vor Gebrauch prüfen“)",
                            "{n} Warnungen zu unbestätigten Belegen (die Punkte stehen unter „Vor Gebrauch prüfen“)"),
    "no_warnings": "Keine Warnungen zu den Unterlagen oder zum Lauf.",
    "code_column": "Code",
    "message": "Meldung",
    "notices": {
        "missing": "{n} Zeilen zu fehlenden Informationen ausgelassen: von einem Modell geschrieben, das zu klein ist, um "
                   "zu erkennen, was die Unterlagen offenlassen (`model_prose` aus); die erste Seite nennt, was zu entscheiden ist",
        "inferences": ("{n} Schluss über {them} ausgelassen: keine Zeile der Unterlagen legt ihn nahe",
                       "{n} Schlüsse über {them} ausgelassen: keine Zeile der Unterlagen legt sie nahe"),
        "repeats": ("{n} Punkt, der einen anderen mit anderen Worten wiederholte, ausgelassen",
                    "{n} Punkte, die einen anderen mit anderen Worten wiederholten, ausgelassen"),
        "cut": ("{n} Punkt an der Antwortlänge abgeschnitten, ohne ganzen Satz: ausgelassen",
                "{n} Punkte an der Antwortlänge abgeschnitten, ohne ganzen Satz: ausgelassen"),
        "advice": "Ratschläge ausgelassen aus {where}: {said}",
        "translated": ("{done} von {n} Texten, die die Modelle in einer anderen Sprache schrieben, hat der "
                       "Übersetzungsschritt auf Deutsch umformuliert (die Umformulierung eines kleinen Modells kann "
                       "holprig sein oder den Sinn verschieben: report.json bewahrt jedes Original unter "
                       "provenance.translations)"),
        "translated_kept": "; {kept} bleiben wie geschrieben: die Umformulierung änderte eine Zahl, verlor einen Platzhalter oder war nicht deutsch",
        "where": {"the briefing": "dem Briefing", "the fixed-pie challenge": "der Prüfung des festen Kuchens",
                  "the counterpart guidance": "den Hinweisen zur Gegenseite"},
        "reasons": {"concedes": "gibt etwas ohne Gegenleistung", "stale": "schon erledigt oder vor dem neuesten Dokument fällig",
                    "small": "von einem Modell geschrieben, das für Ratschläge zu klein ist (`model_prose` aus)"},
    },
    "codes": {"left-out": "ausgelassen", "translated": "übersetzt", "number": "Zahl", "citation": "Quellenangabe",
              "language": "Sprache", "chunked": "aufgeteilt", "budget": "Budget", "contradicted": "widersprochen",
              "contradicted-removed": "widersprochen, entfernt", "document": "Dokument", "echo": "Echo",
              "echo-removed": "Echo, entfernt", "injection": "Anweisung", "pseudonymized": "pseudonymisiert",
              "skipped": "übersprungen", "unverified": "unbestätigt", "weak": "schwacher Beleg"},
    "kb_used": "Verwendete Einträge der Wissensbasis",
    "kb_appendix": "Anhang: zitierte Konzepte der Wissensbasis",
    "kb": "Wissensbasis",
    "sources": "Quellen",
    "kb_missing": "nicht in der verwendeten Wissensbasis gefunden",
    "rehearsals": "Übungen",
    "rehearsals_intro": "Übungsgespräche mit der simulierten Gegenseite ({command}), neben diesem Bericht gespeichert.",
    "rehearsal": "Übung {n}",
    "rehearsal_review": "Auswertung und Mitschrift",
    "rehearsal_data": "Daten",
    "provenance": "Herkunft",
    "backend": "Backend",
    "model": "Modell",
    "model_calls": "{n} Modellaufrufe",
    "call_tokens": "{prompt} Prompt- + {completion} Antwort-Tokens",
    "prompts": "Prompts",
    "started": "Gestartet",
    "total_time": "Gesamtzeit",
    "calls": "Modellaufrufe",
    "found_share": "{n} der als Fakten geprüften Aussagen des Modells",
    "found_with_notes": "({n} mit den {quoted} Zeilen aus unseren Notizen)",
    "sentences_checked": "Geprüfte Sätze",
    "sentences_checked_line": "{n} Sätze der Texte mit einer Zahl, einem Datum oder den Worten einer Partei",
    "contradicted_line": "{n} Aussagen beiseitegestellt oder entfernt: die Unterlagen sagen etwas anderes",
    "token_count": "Anzahl Tokens",
    "kb_retrieved": "Abgerufen aus der Wissensbasis",
    "kind": "Art",
    "characters": "Zeichen",
    "tokens_column": "Tokens",
    "units": "Einheiten",
    "node": "Knoten",
    "prompt": "Prompt",
    "version": "Version",
    "file": "Datei",
    "attempt": "Versuch",
    "prompt_tokens": "Prompt-Tokens",
    "completion_tokens": "Antwort-Tokens",
    "cache": "Cache",
    "outcome": "Ergebnis",
    "seconds": "Sekunden",
    "total": "Summe",
    "no_calls": "Keine Modellaufrufe aufgezeichnet.",
    "node_times": "Zeit je Knoten",
    "case": "Fall",
    "locators": {"line": "Zeile", "lines": "Zeilen", "page": "Seite", "paragraph": "Absatz", "table": "Tabelle",
                 "row": "Zeile", "header": "Kopf", "html comment": "HTML-Kommentar", "and": "und"},
    "decimal": ",",
    "thousands": ".",
}

LABELS = {"en": EN, "no": NO, "de": DE}
"""The report's fixed labels by language; a label a language lacks is English. A pair is (one, more than one)."""


class Wording(dict):
    """The labels of one language: `words.key` reads one (in templates too); `words("key", n=…, …)` fills one in,
    the singular or plural of a pair chosen by `n`."""

    def __getattr__(self, key: str):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __call__(self, key: str, n=None, **values) -> str:
        text = self[key]
        if isinstance(text, tuple):
            text = text[0] if n == 1 else text[1]
        return text.format(n=n, **values)

    def number(self, value) -> str:
        """A number as this language writes its decimals (`92.9`, `92,9`); an integer as it is."""
        return str(value).replace(".", self["decimal"])

    def grouped(self, value: int) -> str:
        """An integer with its thousands grouped (`3,238`, `3 238`, `3.238`)."""
        return f"{value:,}".replace(",", self["thousands"])

    def where(self, locator: str) -> str:
        """A passage's place (`line 15`, `table 2, row 3`) in this language's words."""
        names = self["locators"]
        if not names or not locator:
            return locator
        return LOCATOR_WORDS.sub(lambda m: names.get(m.group(0), m.group(0)), locator)

    def places(self, text: str) -> str:
        """`text` with each place named after a document in brackets (`(notes.md, line 15)`) in this language's
        words: a computed line's inputs, a move's source."""
        return PLACE.sub(lambda m: self.where(m.group(0)), text) if self["locators"] and text else text

    def notice(self, warning) -> str:
        """A warning's message in this language where its kind has words here (`notices`), else as written."""
        table = self["notices"]
        template, values = table.get(warning.key), warning.values
        if template is None:
            return warning.message
        if warning.key == "advice":
            said = "; ".join(f"{n} {table['reasons'].get(r, r)}" for r, n in values.get("reasons", {}).items())
            return template.format(where=table["where"].get(values.get("where"), values.get("where")), said=said)
        n = values.get("n")
        text = (template[0] if n == 1 else template[1]) if isinstance(template, tuple) else template
        text = text.format(**values)
        return text + (table["translated_kept"].format(**values) if warning.key == "translated" and values.get("kept") else "")

    def code(self, code: str) -> str:
        """A warning's code as this language names it (the code itself where it has no name)."""
        return self["codes"].get(code, code)


PLACE = re.compile(r"(?<=, )(?:html comment|lines?|pages?|paragraph|table|row|header)\b[^()]*(?=\))")
"""A place after a document's name in brackets."""
LOCATOR_WORDS = re.compile(r"\b(?:html comment|lines|line|pages|page|paragraph|table|row|header|and)\b")


def wording(language: str) -> Wording:
    """The report's labels in `language` (a report's `case.language`; English where it has none)."""
    return Wording({**EN, **LABELS.get(language_code(language), {})})


def upfirst(text: str) -> str:
    """`text` with its first letter capital (the rest as it is: names stay)."""
    return text[:1].upper() + text[1:]
