"""The first page and, with a small model, the briefing's texts, composed from typed facts: the amounts and dates
the rules found (`pipeline.brief.facts`), the model's narrow readings of which is which (`Readings`), the newest
message, and the deal profile's checked alternatives. Arithmetic and order are computed here; every line names
the passage it rests on (as its evidence, or its inputs as its basis)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pipeline.brief.facts import PERIOD_WORDS, Dated, Duration, Message, Money, Source, key, paragraph_of, years_in
from pipeline.brief.notes import GO_ON, LABEL, PAST, THEY, NoteLine, chosen, count_words, heading_role, name_words
from pipeline.brief.terms import Term
from pipeline.case.notes import SENTENCE, plain_line
from pipeline.checks.claims import ClaimCheck
from pipeline.checks.item_checks import passage_of
from pipeline.checks.quantities import Date, date_spans, missing_quantities
from pipeline.schemas import (DealProfile, Evidence, FirstPage, Item, Move, Plan, Readings, SidedItem,
                              WrittenSynthesis)

FIRST_PERSON = re.compile(r"(?<![\w])(?:we|our|us|vi|vår|våre|vårt|oss|wir|unser\w*|uns)(?![\w])", re.IGNORECASE)
CONFIRMED = ("verified", "quoted", "read", "excerpt")
"""What the checker must find for a fact line before anything is computed from it."""
SAME_SCALE = 3.0
"""An ask and a limit compared without a stated period of one of them must be within this factor of each other."""
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "no": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}
PHRASES = {
    "en": dict(
        term_above="Of their terms, “{what}” alone is {amount} above our limit of {b} (computed).",
        discount_first_above="Even with their {share} off the first year, that year comes to {after}: still {amount} above our limit of {b} (computed).",
        discount_first_within="With their {share} off the first year, that year comes to {after}: {amount} within our limit of {b} (computed).",
        discount_above="Even with their {share} off, their ask comes to {after}: still {amount} above our limit of {b} (computed).",
        discount_within="With their {share} off, their ask comes to {after}: {amount} within our limit of {b} (computed).",
        indexed_within="Today's price of {today} with the indexation your notes expect ({share}) comes to about {after}: {amount} within our limit of {b} (computed).",
        indexed_above="Today's price of {today} with the indexation your notes expect ({share}) comes to about {after}: {amount} above our limit of {b} (computed).",
        ask="Their ask ({them}): {amount}.", limit="Our limit ({us}): at most {amount}.",
        gap="Gap: {amount} between their ask and our limit (computed: {a} − {b}).",
        term="If the gap held for the whole term of {term}: {amount} (computed).",
        authority="Their ask comes to about {total}, above the {authority} your notes set as a signing or approval threshold ({where}): approval above it is needed (computed).",
        on_it="Your notes on it: {line}",
        summary_items="Their items, with your notes on each: {pairs}.",
        view="Your notes: “{line}” ({where}): {figure} is at most {share} of their ask of {ask}{thresholds} (computed).",
        view_within="within the {threshold} threshold", view_above="above the {threshold} threshold",
        view_inside="the {threshold} threshold falls inside it",
        ladder="{head} each approval threshold your notes set: {thresholds}; the lowest binds first (computed).",
        ask_total="Their ask comes to about {total}, above", ask_is="Their ask of {total} is above",
        within="Their ask is {amount} within our limit (computed: {b} − {a}).",
        no_limit="Our walk-away (the most we can pay or accept in this deal): none the materials set — decide it before the meeting; an approval limit is not a walk-away.",
        no_ask="Their ask in numbers: none the checker could confirm in the materials — ask for it.",
        deadline="{date}: {them}'s deadline.", decision="{date}: our decision ({us}).",
        tag_deadline="their deadline", tag_decision="our decision",
        against="Against our {figure} of {b}: their ask is {amount} above it (computed).",
        against_within="Against our {figure} of {b}: their ask is {amount} below it (computed).",
        conflict="Their deadline ({d1}) comes before our decision ({d2}) (computed).",
        newest="Newest: {who}, {date}{subject}.",
        no_batna="Our best alternative to an agreement: none named as such in the materials — name it and cost it before the meeting.",
        m_answer="Answer {who}'s message of {date} before the meeting",
        w_answer="It is the newest step in the case, and what it asks or offers is quoted under Newest: answering it sets the agenda instead of reacting to theirs.",
        w_agreed="A step of your notes ({where}), not yet past.", your_notes="your notes",
        w_agreed_trade="A trade your notes agreed ({where}).",
        w_agreed_proposal="A proposal your notes make ({where}).",
        their_words="Their newest message ({who}, {date}): “{line}”",
        w_idea="An idea of your notes ({where}).", years="{n} years",
        m_opening="Take up what {who} opened on {date}, and ask what each point is worth to them",
        m_opening_red="Take up what {who} opened on {date}, and ask what each point is worth to them, our red line aside",
        m_path="Offer them a dated path to our decision on {d2} instead of their deadline of {d1}",
        w_path="Their deadline comes first: we cannot commit by their date without our decision.",
        w_opening="Their newest message opens it: {line}",
        m_red_line="Keep our red line out of any trade: state it as a precondition, not a price",
        m_right="Open on {clause}: what the contract already gives us, before any figure",
        m_duty="Answer their hold-back with {clause}: the contract obliges them to go on",
        w_duty="They: “{theirs}” — the contract: “{duty}”",
        m_go_on="Answer their pressure with {clause}: we can go on under the contract, a new deal is not forced on us",
        w_due="First due: {due}. {why}",
        w_due_deadline="First due: {due}, their deadline. {why}",
        w_right="The contract's own words: “{line}”",
        w_expect=" Expect from them ({where}): “{line}”",
        m_expect="Prepare our answer to what the materials expect them to argue",
        w_red_line="Your notes ({where}): “{line}”",
        m_ask="Get their ask in numbers before discussing terms",
        w_ask="Without their figure we cannot measure the gap to our limit.",
        m_limit="Decide our limit and walk-away before the meeting",
        w_limit="The checker could confirm none in the materials; without it every concession is a guess.",
        m_trade="Put what they need on the table only in return for their ask coming down to {b} ({what}) or below",
        our_limit="our limit", our_figure="our {figure}",
        m_trade_also="; ask with it for {asks}", also_and=" and ", ask_cap="a cap on the {label}", ask_phasing="the {label} phased",
        m_trade_limit="Put what they need on the table only in return for a price well below our limit of {b}",
        offer_above="Their other figure {a} is still {amount} above {what} of {b} (computed).",
        offer_year=" At the same {unit} count that comes to {total}, {amount} above {what} of {b} (computed).",
        w_trade="Your notes say what they need: “{need}”.",
        summary_gap="{them} asks {a}; our limit is {b}: a gap of {amount}.",
        summary_within="{them} asks {a}, within our limit of {b}.",
        summary_ask="{them} asks {a}.",
        summary_dates="Ahead: {dates}.",
        summary_go_on="The contract lets us go on without a new deal ({clause}).",
        summary_go_on_by="The contract lets us go on without a new deal ({clause}) if we use it by {date}.",
        summary_go_on_deadline="The contract lets us go on without a new deal ({clause}): their deadline ({date}) does not force a signature.",
        summary_nearest="Nearest: {line}",
        summary_clock="Time presses us from {date}: “{line}” ({where}).",
        summary_their_need="What they need: “{line}” ({where}).",
        leaving_back="Our alternative{alt}: {price}, {amount} below our limit, but {once} once to take it up (computed).",
        leaving_back_ask="Our alternative{alt}: {price}, {asked} below their ask and {amount} below our limit, but {once} once to take it up (computed).",
        leaving_below="Our alternative{alt}: {price}, {amount} below our limit (computed).",
        leaving_above="Our alternative{alt}: {price}, {amount} above our limit (computed).",
        summary_partial="Our alternatives are partial or late ({where}): as your notes say, they show we are not locked in; never use them as a threat.",
        summary_weak="Our alternatives are weak, partial or late ({where}): do not threaten to leave, nor present them as a walk-away.",
        summary_opens="Newest: {who}, {date}: “{line}”",
        summary_newest="Newest: {who}, {date}.",
        summary_plan="A trade idea of your notes: {line}",
        verify_limit="Confirm our limit and who may approve above it.",
        verify_alt="Cost our best alternative to an agreement.",
        relationship="Keep the tone constructive: separate the people from the gap in numbers.",
    ),
    "no": dict(
        term_above="Av deres vilkår ligger «{what}» alene {amount} over vår grense på {b} (beregnet).",
        discount_first_above="Selv med deres {share} avslag det første året blir det året {after}: fortsatt {amount} over vår grense på {b} (beregnet).",
        discount_first_within="Med deres {share} avslag det første året blir det året {after}: {amount} innenfor vår grense på {b} (beregnet).",
        discount_above="Selv med deres {share} avslag blir kravet {after}: fortsatt {amount} over vår grense på {b} (beregnet).",
        discount_within="Med deres {share} avslag blir kravet {after}: {amount} innenfor vår grense på {b} (beregnet).",
        indexed_within="Dagens pris på {today} med indeksreguleringen våre notater regner med ({share}) blir om lag {after}: {amount} innenfor vår grense på {b} (beregnet).",
        indexed_above="Dagens pris på {today} med indeksreguleringen våre notater regner med ({share}) blir om lag {after}: {amount} over vår grense på {b} (beregnet).",
        ask="Deres krav ({them}): {amount}.", limit="Vår grense ({us}): høyst {amount}.",
        gap="Gap: {amount} mellom deres krav og vår grense (beregnet: {a} − {b}).",
        term="Om gapet holdt seg hele avtaleperioden på {term}: {amount} (beregnet).",
        on_it="Våre notater om dette: {line}",
        summary_items="Deres poster, med våre notater om hver: {pairs}.",
        view="Våre notater: «{line}» ({where}): {figure} er høyst {share} av deres krav på {ask}{thresholds} (beregnet).",
        view_within="innenfor grensen på {threshold}", view_above="over grensen på {threshold}",
        view_inside="grensen på {threshold} ligger innenfor",
        ladder="{head} hver godkjenningsgrense våre notater setter: {thresholds}; den laveste gjelder først (beregnet).",
        ask_total="Deres krav utgjør om lag {total}, over", ask_is="Deres krav på {total} er over",
        authority="Deres krav utgjør om lag {total}, over de {authority} våre notater setter som grense for signering eller godkjenning ({where}): det trengs godkjenning over det (beregnet).",
        within="Deres krav ligger {amount} innenfor vår grense (beregnet: {b} − {a}).",
        no_limit="Vår smertegrense (det meste vi kan betale eller godta i denne avtalen): materialet setter ingen — bestem den før møtet; en fullmaktsgrense er ingen smertegrense.",
        no_ask="Deres krav i tall: ingen som kontrollen kunne bekrefte i materialet — be om det.",
        deadline="{date}: fristen til {them}.", decision="{date}: vår beslutning ({us}).",
        tag_deadline="deres frist", tag_decision="vår beslutning",
        against="Mot {figure} {b} (våre notater): deres krav ligger {amount} over (beregnet).",
        against_within="Mot {figure} {b} (våre notater): deres krav ligger {amount} under (beregnet).",
        conflict="Deres frist ({d1}) kommer før vår beslutning ({d2}) (beregnet).",
        newest="Nyest: {who}, {date}{subject}.",
        no_batna="Vårt beste alternativ uten avtale: materialet navngir ingen som det — navngi det og beregn kostnaden før møtet.",
        m_answer="Svar på meldingen fra {who} av {date} før møtet",
        w_answer="Det er det nyeste i saken, og det den ber om eller tilbyr er sitert under Nyest: et svar setter vår dagsorden i stedet for deres.",
        w_agreed="Et steg i våre notater ({where}), ikke passert.", your_notes="våre notater",
        w_agreed_trade="Et bytte våre notater ble enige om ({where}).",
        w_agreed_proposal="Et forslag i våre notater ({where}).",
        their_words="Deres nyeste melding ({who}, {date}): «{line}»",
        w_idea="En idé i våre notater ({where}).", years="{n} år",
        m_opening="Ta opp det {who} åpnet for {date}, og spør hva hvert punkt er verdt for dem",
        m_opening_red="Ta opp det {who} åpnet for {date}, og spør hva hvert punkt er verdt for dem, vår røde linje unntatt",
        m_path="Tilby dem en tidsplan fram til vår beslutning {d2} i stedet for deres frist {d1}",
        w_path="Deres frist kommer først: vi kan ikke forplikte oss innen deres dato uten vår beslutning.",
        w_opening="Deres nyeste melding åpner for det: {line}",
        m_red_line="Hold vår røde linje utenfor ethvert bytte: legg den fram som en forutsetning, ikke som en pris",
        m_right="Åpne med {clause}: det avtalen allerede gir oss, før noe tall",
        m_duty="Svar på at de holder tilbake med {clause}: avtalen forplikter dem til å fortsette",
        w_duty="De: «{theirs}» — avtalen: «{duty}»",
        m_go_on="Svar på presset med {clause}: vi kan fortsette etter avtalen, en ny avtale er ikke tvunget på oss",
        w_due="Først ut: {due}. {why}",
        w_due_deadline="Først ut: {due}, deres frist. {why}",
        w_right="Avtalens egne ord: «{line}»",
        w_expect=" Vent dette fra dem ({where}): «{line}»",
        m_expect="Forbered vårt svar på det materialet venter at de vil hevde",
        w_red_line="Våre notater ({where}): «{line}»",
        m_ask="Få deres krav i tall før vilkårene drøftes",
        w_ask="Uten deres tall kan vi ikke måle gapet til vår grense.",
        m_limit="Bestem vår grense og vårt brudd-punkt før møtet",
        w_limit="Kontrollen fant ingen bekreftet i materialet; uten den er hver innrømmelse en gjetning.",
        m_trade="Legg fram det de trenger bare mot at kravet kommer ned til {b} ({what}) eller lavere",
        our_limit="vår grense", our_figure="{figure}",
        m_trade_also="; be samtidig om {asks}", also_and=" og ", ask_cap="et tak på {label}", ask_phasing="{label} fordelt over tid",
        m_trade_limit="Legg fram det de trenger bare mot en pris godt under vår grense på {b}",
        offer_above="Deres andre tall {a} ligger fortsatt {amount} over {what} på {b} (beregnet).",
        offer_year=" Med samme antall ({unit}) blir det {total}, {amount} over {what} på {b} (beregnet).",
        w_trade="Våre notater sier hva de trenger: «{need}».",
        summary_gap="{them} krever {a}; vår grense er {b}: et gap på {amount}.",
        summary_within="{them} krever {a}, innenfor vår grense på {b}.",
        summary_ask="{them} krever {a}.",
        summary_dates="Foran oss: {dates}.",
        summary_go_on="Avtalen lar oss fortsette uten en ny avtale ({clause}).",
        summary_go_on_by="Avtalen lar oss fortsette uten en ny avtale ({clause}) om vi bruker den innen {date}.",
        summary_go_on_deadline="Avtalen lar oss fortsette uten en ny avtale ({clause}): deres frist ({date}) tvinger ikke fram en signatur.",
        summary_nearest="Først: {line}",
        summary_clock="Tiden presser oss fra {date}: «{line}» ({where}).",
        summary_their_need="Det de trenger: «{line}» ({where}).",
        leaving_back="Vårt alternativ{alt}: {price}, {amount} under vår grense, men {once} én gang for å ta det i bruk (beregnet).",
        leaving_back_ask="Vårt alternativ{alt}: {price}, {asked} under deres krav og {amount} under vår grense, men {once} én gang for å ta det i bruk (beregnet).",
        leaving_below="Vårt alternativ{alt}: {price}, {amount} under vår grense (beregnet).",
        leaving_above="Vårt alternativ{alt}: {price}, {amount} over vår grense (beregnet).",
        summary_partial="Alternativene våre er delvise eller sene ({where}): som notatene sier, viser de at vi ikke er låst; bruk dem aldri som trussel.",
        summary_weak="Alternativene våre er svake, delvise eller sene ({where}): ikke true med å gå, og ikke legg dem fram som et reelt alternativ.",
        summary_opens="Nyest: {who}, {date}: «{line}»",
        summary_newest="Nyest: {who}, {date}.",
        summary_plan="En idé til bytte i våre notater: {line}",
        verify_limit="Bekreft vår grense og hvem som kan godkjenne over den.",
        verify_alt="Beregn kostnaden ved vårt beste alternativ uten avtale.",
        relationship="Hold tonen konstruktiv: skill personene fra gapet i tall.",
    ),
    "de": dict(
        term_above="Von ihren Bedingungen liegt „{what}“ allein {amount} über unserer Grenze von {b} (berechnet).",
        discount_first_above="Selbst mit ihren {share} Nachlass im ersten Jahr ergibt dieses Jahr {after}: noch {amount} über unserer Grenze von {b} (berechnet).",
        discount_first_within="Mit ihren {share} Nachlass im ersten Jahr ergibt dieses Jahr {after}: {amount} innerhalb unserer Grenze von {b} (berechnet).",
        discount_above="Selbst mit ihren {share} Nachlass ergibt ihre Forderung {after}: noch {amount} über unserer Grenze von {b} (berechnet).",
        discount_within="Mit ihren {share} Nachlass ergibt ihre Forderung {after}: {amount} innerhalb unserer Grenze von {b} (berechnet).",
        indexed_within="Der heutige Preis von {today} mit der Indexierung, die unsere Notizen erwarten ({share}), ergibt etwa {after}: {amount} innerhalb unserer Grenze von {b} (berechnet).",
        indexed_above="Der heutige Preis von {today} mit der Indexierung, die unsere Notizen erwarten ({share}), ergibt etwa {after}: {amount} über unserer Grenze von {b} (berechnet).",
        ask="Ihre Forderung ({them}): {amount}.", limit="Unsere Grenze ({us}): höchstens {amount}.",
        gap="Lücke: {amount} zwischen ihrer Forderung und unserer Grenze (berechnet: {a} − {b}).",
        term="Bliebe die Lücke die ganze Laufzeit von {term}: {amount} (berechnet).",
        on_it="Unsere Notizen dazu: {line}",
        summary_items="Ihre Posten, mit unseren Notizen zu jedem: {pairs}.",
        view="Unsere Notizen: „{line}“ ({where}): {figure} sind höchstens {share} ihrer Forderung von {ask}{thresholds} (berechnet).",
        view_within="innerhalb der Schwelle von {threshold}", view_above="über der Schwelle von {threshold}",
        view_inside="die Schwelle von {threshold} liegt darin",
        ladder="{head} jede Genehmigungsschwelle unserer Notizen: {thresholds}; die niedrigste gilt zuerst (berechnet).",
        ask_total="Ihre Forderung ergibt etwa {total}, mehr als", ask_is="Ihre Forderung von {total} ist höher als",
        authority="Ihre Forderung ergibt etwa {total}, mehr als die {authority}, die unsere Notizen als Schwelle für Unterschrift oder Genehmigung nennen ({where}): darüber ist eine Genehmigung nötig (berechnet).",
        within="Ihre Forderung liegt {amount} innerhalb unserer Grenze (berechnet: {b} − {a}).",
        no_limit="Unsere Schmerzgrenze (das Höchste, was wir in diesem Geschäft zahlen oder annehmen): die Unterlagen setzen keine — vor dem Treffen festlegen; eine Genehmigungsgrenze ist keine Schmerzgrenze.",
        no_ask="Ihre Forderung in Zahlen: keine, die die Prüfung in den Unterlagen bestätigen konnte — danach fragen.",
        deadline="{date}: Frist von {them}.", decision="{date}: unsere Entscheidung ({us}).",
        tag_deadline="ihre Frist", tag_decision="unsere Entscheidung",
        against="Gegen {figure} {b} (unsere Notizen): ihre Forderung liegt {amount} darüber (berechnet).",
        against_within="Gegen {figure} {b} (unsere Notizen): ihre Forderung liegt {amount} darunter (berechnet).",
        conflict="Ihre Frist ({d1}) liegt vor unserer Entscheidung ({d2}) (berechnet).",
        newest="Neueste: {who}, {date}{subject}.",
        no_batna="Unsere beste Alternative ohne Einigung: die Unterlagen nennen keine als solche — vor dem Treffen benennen und ihre Kosten ermitteln.",
        m_answer="Die Nachricht von {who} vom {date} vor dem Treffen beantworten",
        w_answer="Sie ist der neueste Schritt, und was sie fordert oder anbietet, steht unter Neueste: eine Antwort setzt unsere Agenda statt ihrer.",
        w_agreed="Ein Schritt unserer Notizen ({where}), noch nicht vorbei.", your_notes="unsere Notizen",
        w_agreed_trade="Ein Tausch, den unsere Notizen vereinbart haben ({where}).",
        w_agreed_proposal="Ein Vorschlag unserer Notizen ({where}).",
        their_words="Ihre neueste Nachricht ({who}, {date}): „{line}“",
        w_idea="Eine Idee unserer Notizen ({where}).", years="{n} Jahren",
        m_opening="Aufgreifen, was {who} am {date} geöffnet hat, und fragen, was jeder Punkt ihnen wert ist",
        m_opening_red="Aufgreifen, was {who} am {date} geöffnet hat, und fragen, was jeder Punkt ihnen wert ist, unsere rote Linie ausgenommen",
        m_path="Ihnen einen Zeitplan bis zu unserer Entscheidung am {d2} anbieten statt ihrer Frist {d1}",
        w_path="Ihre Frist kommt zuerst: bis zu ihrem Datum können wir uns ohne unsere Entscheidung nicht festlegen.",
        w_opening="Ihre neueste Nachricht öffnet es: {line}",
        m_red_line="Unsere rote Linie aus jedem Tausch heraushalten: als Voraussetzung nennen, nicht als Preis",
        m_right="Mit {clause} eröffnen: was der Vertrag uns schon gibt, vor jeder Zahl",
        m_duty="Auf ihr Zurückhalten mit {clause} antworten: der Vertrag verpflichtet sie weiterzumachen",
        w_duty="Sie: „{theirs}“ — der Vertrag: „{duty}“",
        m_go_on="Auf ihren Druck mit {clause} antworten: wir können nach dem Vertrag weitermachen, ein neuer Vertrag ist nicht erzwungen",
        w_due="Zuerst fällig: {due}. {why}",
        w_due_deadline="Zuerst fällig: {due}, ihre Frist. {why}",
        w_right="Die Worte des Vertrags: „{line}“",
        w_expect=" Von ihnen zu erwarten ({where}): „{line}“",
        m_expect="Unsere Antwort auf das vorbereiten, was sie laut den Unterlagen einwenden werden",
        w_red_line="Unsere Notizen ({where}): „{line}“",
        m_ask="Ihre Forderung in Zahlen einholen, bevor Bedingungen besprochen werden",
        w_ask="Ohne ihre Zahl können wir die Lücke zu unserer Grenze nicht messen.",
        m_limit="Unsere Grenze und unseren Ausstiegspunkt vor dem Treffen festlegen",
        w_limit="Die Prüfung fand keine bestätigte in den Unterlagen; ohne sie ist jedes Zugeständnis geraten.",
        m_trade="Was sie brauchen, nur anbieten, wenn ihre Forderung auf {b} ({what}) oder darunter sinkt",
        our_limit="unsere Grenze", our_figure="{figure}",
        m_trade_also="; dabei auch {asks} verlangen", also_and=" und ", ask_cap="eine Obergrenze für {label}", ask_phasing="{label} in Raten",
        m_trade_limit="Was sie brauchen, nur gegen einen Preis deutlich unter unserer Grenze von {b} anbieten",
        offer_above="Ihr anderer Betrag {a} liegt noch {amount} über {what} von {b} (berechnet).",
        offer_year=" Bei gleicher Menge ({unit}) sind das {total}, {amount} über {what} von {b} (berechnet).",
        w_trade="Unsere Notizen sagen, was sie brauchen: „{need}“.",
        summary_gap="{them} fordert {a}; unsere Grenze ist {b}: eine Lücke von {amount}.",
        summary_within="{them} fordert {a}, innerhalb unserer Grenze von {b}.",
        summary_ask="{them} fordert {a}.",
        summary_dates="Bevorstehend: {dates}.",
        summary_go_on="Der Vertrag lässt uns ohne neue Einigung weitermachen ({clause}).",
        summary_go_on_by="Der Vertrag lässt uns ohne neue Einigung weitermachen ({clause}), wenn wir es bis {date} nutzen.",
        summary_go_on_deadline="Der Vertrag lässt uns ohne neue Einigung weitermachen ({clause}): ihre Frist ({date}) erzwingt keine Unterschrift.",
        summary_nearest="Zuerst: {line}",
        summary_clock="Die Zeit drängt uns ab {date}: „{line}“ ({where}).",
        summary_their_need="Was sie brauchen: „{line}“ ({where}).",
        leaving_back="Unsere Alternative{alt}: {price}, {amount} unter unserer Grenze, aber einmalig {once}, um sie umzusetzen (berechnet).",
        leaving_back_ask="Unsere Alternative{alt}: {price}, {asked} unter ihrer Forderung und {amount} unter unserer Grenze, aber einmalig {once}, um sie umzusetzen (berechnet).",
        leaving_below="Unsere Alternative{alt}: {price}, {amount} unter unserer Grenze (berechnet).",
        leaving_above="Unsere Alternative{alt}: {price}, {amount} über unserer Grenze (berechnet).",
        summary_partial="Unsere Alternativen sind teilweise oder spät ({where}): wie unsere Notizen sagen, zeigen sie, dass wir nicht festgelegt sind; nie als Drohung einsetzen.",
        summary_weak="Unsere Alternativen sind schwach, teilweise oder spät ({where}): nicht mit dem Ausstieg drohen und sie nicht als echten Ausweg darstellen.",
        summary_opens="Neueste: {who}, {date}: „{line}“",
        summary_newest="Neueste: {who}, {date}.",
        summary_plan="Eine Tauschidee unserer Notizen: {line}",
        verify_limit="Unsere Grenze bestätigen und wer darüber genehmigen darf.",
        verify_alt="Die Kosten unserer besten Alternative ohne Einigung ermitteln.",
        relationship="Den Ton konstruktiv halten: die Personen von der Lücke in Zahlen trennen.",
    ),
}


UNIT_WORD = {"en": "per", "no": "per", "de": "pro"}


def phrases(language: str) -> dict[str, str]:
    """The composed lines' wording in the brief's language (English where there is none; the translate step
    then rewords them)."""
    return PHRASES[language_code(language)]


def language_code(language: str) -> str:
    """The brief's language as a code the phrase tables hold (`nb`, `nn` → `no`; English where none)."""
    code = (language or "en").split("-")[0].replace("nb", "no").replace("nn", "no")
    return code if code in PHRASES else "en"


def written_date(date: Date, language: str) -> str:
    months = MONTHS[language_code(language)]
    day = f"{date.day}." if language_code(language) in ("no", "de") else str(date.day)
    return f"{day} {months[date.month - 1]}{f' {date.year}' if date.year else ''}"


def written_amount(value: float, currency: str, language: str) -> str:
    """`value` as the materials would write it: `EUR 1.4 million`, `NOK 3,9 mill.`, `EUR 1,4 Mio.`, `EUR 40.000`."""
    lang = language_code(language)
    if abs(value) >= 1e6:
        number, scale = f"{value / 1e6:.2f}".rstrip("0").rstrip("."), {"en": " million", "no": " mill.", "de": " Mio."}[lang]
    elif abs(value) < 100 and value != int(value):  # a price per unit keeps its pence: GBP 0.30
        number, scale = f"{value:,.2f}", ""
    else:
        number, scale = f"{value:,.2f}".rstrip("0").rstrip("."), ""
    if lang != "en":  # thousands grouped as the language writes them: `NOK 310 000`, `EUR 40.000`
        number = number.replace(",", "\0").replace(".", ",").replace("\0", "." if lang == "de" else " ")
    return f"{currency} {number}{scale}"


def with_period(money: Money | float, period: str, currency: str, language: str, unit: str = "") -> str:
    amount = money.written if isinstance(money, Money) else written_amount(money, currency, language)
    unit = unit or (money.unit if isinstance(money, Money) else "")
    words = PERIOD_WORDS[language_code(language)].get(period, "")
    return " ".join(part for part in (amount, f"{UNIT_WORD[language_code(language)]} {unit}" if unit else "", words) if part)


def amount_options(money: list[Money]) -> dict[str, Money]:
    """Each amount once (by currency and value), as the model is offered it: its first line, the period of any of
    its lines, its other lines."""
    firsts: dict[tuple[str, float], Money] = {}
    lines: dict[tuple[str, float], list[Source]] = {}
    for m in money:
        value = (m.currency, round(m.value, 2))
        first = firsts.setdefault(value, m)
        lines.setdefault(value, []).append(m.source)
        if m.period and not first.period:
            firsts[value] = replace(first, period=m.period)
    return {m.written: replace(m, also=tuple(s for s in lines[v][1:] if s != m.source)) for v, m in firsts.items()}


def date_options(dated: list[Dated]) -> dict[str, Dated]:
    """Each day once, as the model is offered it: its first line, and its other lines."""
    firsts: dict[tuple[int, int, int], Dated] = {}
    lines: dict[tuple[int, int, int], list[Source]] = {}
    for d in dated:
        firsts.setdefault(key(d.date), d)
        lines.setdefault(key(d.date), []).append(d.source)
    return {d.written: replace(d, also=tuple(s for s in lines[k][1:] if s != d.source)) for k, d in firsts.items()}


def listing(options: dict, internal: frozenset[str] = frozenset(), width: int = 110) -> str:
    """The options as the model is shown them: each with its document (marked when it is our own notes) and the
    words around it on its line."""
    return "\n".join(f"- {name} [{o.source.document}{', our notes' if o.source.document in internal else ''}]: "
                     f"{_around(o.source.text, name, width)}" for name, o in options.items()) or "- none"


def _around(line: str, name: str, width: int) -> str:
    at = max(0, line.find(name))
    start = max(0, at - width // 2)
    return ("…" if start else "") + line[start:start + width].strip() + ("…" if start + width < len(line) else "")


@dataclass(frozen=True)
class Picks:
    """The readings resolved to the facts they name."""

    their_ask: Money | None
    our_limit: Money | None
    their_deadline: Dated | None
    our_decision: Dated | None
    term: Duration | None = None
    authority: Money | None = None
    """What can be signed or approved at our level, as our notes give it (not a reading: found by rules)."""
    approvals: tuple[Money, ...] = ()
    """Every approval threshold of our notes, lowest first (`approvals_of`)."""
    yardsticks: tuple[tuple[str, Money], ...] = ()
    """Our other named figures their ask was set against (a cap, a target), with their names."""
    compared: tuple[Item, ...] = ()
    """The first page's lines that set their other prices and their ask against our figures (computed)."""


def newest_ask(picks: Picks, theirs: Message | None, money: Sequence[Money]) -> Picks:
    """Their ask as their newest message states it, where it states an amount in our limit's terms (no words
    against it being their ask) and the reading named an older figure: their newest word stands (a revised price,
    not last year's)."""
    if theirs is None or picks.our_limit is None:
        return picks
    said = theirs.places
    def in_it(m: Money) -> bool:
        return any((s.document, s.locator) in said for s in (m.source, *m.also))
    if picks.their_ask is not None and in_it(picks.their_ask):
        return picks
    found = [m for m in money if in_it(m) and comparable(m, picks.our_limit) is not None
             and cue_score("their_ask", m) >= 0]
    return replace(picks, their_ask=max(found, key=lambda m: cue_score("their_ask", m))) if found else picks


def resolve(readings: Readings, options: dict[str, dict], ours: frozenset[str] = frozenset()) -> Picks:
    """The readings as the facts they name (`options`: each reading's options by name); a reading that cannot be
    right left out (one amount as both their ask and our limit, a limit outside our own notes, one day as both
    dates); a limit that cannot be set against the ask replaced by the figure of its own line that can (a table row's
    yearly rent beside its rent per square foot). `ours`: our side's own documents."""
    def get(name):
        return options.get(name, {}).get(getattr(readings, name))
    ask, limit = get("their_ask"), get("our_limit")
    if ask is not None and limit is not None and ask.written == limit.written:
        limit = None  # one figure cannot be both
    if limit is not None and not ours_line(limit, ours):
        limit = None  # our limit is set by our side: in our own notes
    if ask is not None and limit is not None and comparable(ask, limit) is None:
        limit = next((o for o in options.get("our_limit", {}).values() if o.source == limit.source
                      and comparable(ask, o) is not None), limit)  # the same line's figure in the ask's terms
    deadline, decision = get("their_deadline"), get("our_decision")
    if deadline is not None and decision is not None and key(deadline.date) == key(decision.date):
        decision = None
    return Picks(ask, limit, deadline, decision, get("term"))


CUES = {
    "their_ask": r"demand\w*|ask\w*|claim\w*|offer\w*|propos\w*|price\w*|quot\w*|increase\w*|fee|fees|charge\w*|rent|"
                 r"want\w*|request\w*|revised|"
                 r"krev\w*|krav\w*|tilbud\w*|tilby\w*|pris\w*|økning|øke|justere|vederlag\w*|leie|"
                 r"forder\w*|angebot\w*|anbiet\w*|preis\w*|erhöhung|gebühr\w*|miete",
    "our_limit": r"ceiling|cap|caps|capped|at most|at or below|maximum|max|limit|budget\w*|no more than|may not exceed|"
                 r"walk[- ]?away|bottom line|reservation|up to|consent|opp til|inntil|bis zu|"
                 r"tak|høyst|maks\w*|grense|ramme\w*|budsjett\w*|smertegrense|"
                 r"obergrenze|höchstens|maximal\w*|deckel|budget\w*|schmerzgrenze",
    "their_deadline": r"by|until|deadline|valid|before|no later|respon\w*|answer|reply|expir\w*|closes?|"
                      r"frist\w*|innen|senest|svar\w*|tilbakemelding|gyldig|"
                      r"bis|spätestens|gültig|antwort\w*|rückmeldung",
    "our_decision": r"board|approv\w*|decid\w*|decision|committee|mandate|meets|meeting|sign-?off|"
                    r"styre\w*|godkjen\w*|beslut\w*|vedta\w*|"
                    r"vorstand\w*|aufsichtsrat\w*|\w*sitzung|gremi\w*|beschluss\w*|genehmig\w*|entscheid\w*",
    "term": r"term|duration|contract|agreement|lease|period|avtale\w*|kontrakt\w*|periode|varighet|løpetid|"
            r"laufzeit|vertrag\w*",
}
"""Words near a figure or date that make it a likely answer to each reading (English, Norwegian, German)."""
AGAINST = {
    "our_decision": r"prepar\w*|draft\w*|paper|papers|submit\w*|send\w*|apply|application|"
                    r"forbered\w*|saksdokument\w*|saksfremlegg\w*|utkast\w*|søk\w*|"
                    r"vorbereit\w*|entwurf\w*|unterlage\w*|beantrag\w*|too late|for sent|zu spät",
    "our_limit": r"current|today|spend\w*|capex|implement\w*|migrat\w*|alternative|approv\w*|authori[sz]\w*|"
                 r"can sign|sign up to|mandate|signing|"
                 r"dagens|nåværende|alternativ\w*|fullmakt\w*|godkjenn\w*|signere|"
                 r"derzeit|aktuell\w*|vollmacht|genehmig\w*|zeichnungs\w*",
    "their_ask": r"our (?:target|budget|limit|walk[- ]?away)|vårt? (?:mål|budsjett|tak)|unser\w* (?:ziel|budget)",
}
"""Words near a figure or date that speak against each reading: a paper prepared for a board is not its decision,
today's spend is not a limit, nor is a person's authority to sign or approve (a mandate is not the deal's limit)."""
READING_WORDS = {name: re.compile(rf"(?<![\w])(?:{CUES[name]}|{AGAINST.get(name, '(?!x)x')})(?![\w])", re.IGNORECASE)
                 for name in CUES}
"""A line holds a word for or against the reading: only then are the words near its figure read."""
_CLAUSE_START = re.compile(r"(?:[.!?;](?=\s)|\|)")
_CLAUSE_END = re.compile(r"[,;|]|[.!?](?=\s|$)")
ABBREVIATION = re.compile(r"(?<![\w])[a-zæøåäöü]{1,3}$")
"""A short lowercase word before a full stop (`ca.`, `approx` aside, `bzw.`, `mill.`): no sentence ends there."""
_FIGURE = re.compile(r"(?:[€£$]|(?<![\w])(?:EUR|GBP|USD|NOK|SEK|DKK|CHF|PLN)\s?)\d[\d.,\s]*\d*(?:\s?(?:million|mill|mio|m|bn|k)\b\.?)?",
                     re.IGNORECASE)
"""An amount of money written before a figure: the words before it speak of that amount, not of the figure."""


def _stretch(line: str, written: str) -> str:
    """The words that speak of `written` on `line`: from the end of the sentence, cell or figure before it to the
    end of its clause (a table row: its first cell and its own)."""
    at = line.find(written)
    if at < 0:
        return line
    if line.count("|") >= 2:
        cells = [c for c in line.split("|") if c.strip()]
        label = next((c for c in cells if not c.strip().isdigit()), "")
        own = next((c for c in cells if written in c), "")
        return f"{label} {own}" if label != own else own
    before = line[:at]
    ends = [m.end() for m in _CLAUSE_START.finditer(before) if not ABBREVIATION.search(before[:m.start()])]
    cut = max(ends + [m.end() for m in _FIGURE.finditer(before)] + [end for _, end, _ in date_spans(before)] + [0])
    after = line[at + len(written):]
    end = _CLAUSE_END.search(after)
    return before[cut:] + written + (after[:end.start()] if end else after)


def cue_score(name: str, option) -> int:
    """How strongly the words around an option say it is the answer to a reading: the reading's cue words near it
    (on any of its lines), less twice the words that speak against it."""
    def one(source) -> int:
        if not READING_WORDS[name].search(source.text):
            return 0  # no word of the reading's on the line: none near the figure either
        near = _stretch(source.text, option.written)
        return count_words(CUES[name], near) - 2 * count_words(AGAINST.get(name, "(?!x)x"), near)
    return max(one(s) for s in (option.source, *getattr(option, "also", ())))


def cued(name: str, line: str) -> bool:
    """The line holds one of the reading's cue words."""
    return re.search(rf"(?<![\w])(?:{CUES[name]})(?![\w])", line, re.IGNORECASE) is not None


def ranked(name: str, options: dict) -> dict:
    """The options a reading is asked among: those the words around them point to (a positive `cue_score`), the
    strongest first (the materials' order kept among equals). None when no option's words point to the reading."""
    scores = {k: cue_score(name, o) for k, o in options.items()}
    return {k: options[k] for k in sorted((k for k in options if scores[k] > 0), key=lambda k: -scores[k])}


def sure(name: str, options: dict) -> str | None:
    """The option a rule can name without asking: the only one offered, or the one whose words point to the
    reading more strongly than any other's."""
    if len(options) == 1:
        return next(iter(options))
    scores = sorted((cue_score(name, o) for o in options.values()), reverse=True)
    return next(iter(options)) if len(scores) > 1 and scores[0] > scores[1] else None


def ours_line(fact: Money | Dated, ours: frozenset[str]) -> bool:
    """The fact stands in our own notes (any line when the case has none: then a line that speaks for us)."""
    if ours:
        return fact.source.document in ours
    return FIRST_PERSON.search(fact.source.text) is not None


def _evidence(source) -> list[Evidence]:
    return [Evidence(document=source.document, quote=source.text[:600], locator=source.locator, located=True)]


def _item(text: str, source=None, *, basis: str = "", cls=Item, **fields) -> Item:
    if basis:
        return cls(text=text, kind="inference", basis=basis, verification="inference", **fields)
    return cls(text=text, evidence=_evidence(source) if source else [], **fields)


def comparable(a: Money, b: Money) -> str | None:
    """The period two amounts share (`''` for none), or None when they cannot be subtracted."""
    if a.currency != b.currency or a.unit != b.unit:
        return None
    if a.period == b.period:
        return a.period
    if (not a.period or not b.period) and max(a.value, b.value) <= SAME_SCALE * min(a.value, b.value):
        return a.period or b.period
    return None


@dataclass(frozen=True)
class Context:
    """The names and wording a composed line needs."""

    us: str
    them: str
    language: str

    @property
    def side_words(self) -> set[str]:
        """The words of both sides' names, lower case."""
        return {w.lower() for w in name_words(f"{self.us} {self.them}")}

    def say(self, name: str, **values) -> str:
        return phrases(self.language)[name].format(us=self.us, them=self.them, **values)

    def date(self, d: Dated) -> str:
        return written_date(d.date, self.language)


NEEDS = (r"needs?|need to|depend\w*|reference|logo|flagship|listing|ipo|year-?end|cash|liquidity|instal?lment|"
         r"capacity|utili[sz]ation|trenger|behov|avhengig\w*|referanse\w*|likviditet|kapasitet\w*|braucht|brauchen|"
         r"bedarf|abhängig\w*|referenz\w*|liquidität|kapazität\w*|auslastung\w*")
"""Words of a line on their side that says what they need (a lever), not what they demand."""
DEMANDS = r"demand\w*|asks?|asked|claim\w*|insist\w*|krev\w*|krav|forder\w*|verlang\w*"
PROPER = re.compile(r"(?<=\s)[A-ZÆØÅÄÖÜ][\w-]{2,}")
REPLY = r"repl\w*|answer\w*|respon\w*|svar\w*|antwort\w*|beantwort\w*"
"""Words of a step that answers a message."""
POINTS_BACK = re.compile(r"(?:it|this|that|these|they|den|det|dette|de|es|sie|dies\w*|er)(?![\w])", re.IGNORECASE)
"""A sentence that opens by pointing back to the one before it."""
SOONER = (r"extraordinary|ekstraordinært?|ekstraordinær\w*|außerordentlich\w*|ausserordentlich\w*|special meeting|"
          r"written resolution|by circulation|urgent meeting|hastemøte|umlaufverfahren\w*|sondersitzung\w*")
"""A decision line that names a sooner way to decide (an extraordinary meeting): its date is no conflict."""
EITHER = r"or|eller|oder|ou|o"
"""The word between two days a line offers as alternatives ("26 or 27 March")."""
TIMELINE = 8
"""The most dates ahead the first page lists."""
DATE_SEP = " — "
"""Between a date ahead (and its tag) and its line's words."""
SUMMARY_LINE = 200
"""The most characters of a line of our notes the summary quotes."""
SUMMARY_DATES = 2
"""The dates ahead the summary names when none is read as their deadline or our decision."""


def _words_around(text: str, written: str, limit: int = 200) -> str:
    """The sentence of `text` that holds `written`, cut to `limit` characters around it at whole words."""
    text = " ".join(text.split())
    sentences = SENTENCE.split(text)
    at = next((i for i, s in enumerate(sentences) if written in s), None)
    sentence = text if at is None else sentences[at]
    if at and POINTS_BACK.match(sentence):  # "It cannot be ready before …": with the sentence it speaks of
        sentence = f"{sentences[at - 1]} {sentence}"
    if len(re.findall(r"[^\W\d_]{2,}", sentence)) < 3:  # "I. Moreau" is no sentence's end
        sentence = text
    if len(sentence) <= limit:
        return sentence
    at = max(sentence.find(written), 0)
    start = max(0, min(at - limit // 2, len(sentence) - limit))
    cut = sentence[start:start + limit]
    if start:
        cut = "… " + cut.split(" ", 1)[-1]
    if start + limit < len(sentence):
        cut = cut.rsplit(" ", 1)[0] + " …"
    return cut


def timeline(ahead: Sequence[Dated], picks: Picks, ctx: Context, ours: frozenset[str] = frozenset(),
             messages: Sequence[Message] = ()) -> list[Item]:
    """The dates ahead in order, each once with the words of its line (our notes' line that opens with it, else the
    line it was read from as their deadline or our decision, else the first line that is no question; a message's line with the lines
    it was wrapped from; their deadline and our decision tagged, each with a line of another document on its day
    (a delivery date beside a board meeting): our notes' lines `quoted`, the other documents' in their own words
    (`excerpt`). At most `TIMELINE` days, the nearest first."""
    tags = {key(d.date): (d, ctx.say(name)) for d, name in ((picks.their_deadline, "tag_deadline"),
                                                           (picks.our_decision, "tag_decision")) if d}
    firsts: dict[tuple[int, int, int], Dated] = {day: d for day, (d, _) in tags.items()}
    for d in ahead:  # our notes' own agenda line ("1 April 2026: last day for notice") says most, then the
        day = key(d.date)  # line a reading was read from, then the first; a question sets no date
        if d.source.document in ours and plain_line(d.source.text).startswith(d.written):
            firsts[day] = d
        elif not asked(d.source.text):
            firsts.setdefault(day, d)
    seconds = {}  # on their deadline's or our decision's day, another document's line may say another thing of it
    for d in ahead:  # (a delivery date on the day of the board meeting)
        day = key(d.date)
        if day in tags and d.source.document != firsts[day].source.document and not asked(d.source.text):
            seconds.setdefault(day, d)
    items, shown = [], {}
    listed = [(day, d) for first in sorted(firsts)[:TIMELINE]
              for day, d in ((first, firsts[first]), (first, seconds.get(first))) if d]
    for day, d in listed:
        tag = tags.get(day, (None, ""))[1] if d is firsts[day] else ""
        source, written = d.source, d.written
        words = _words_around(plain_line(paragraph_of(source, messages)), written)
        either = re.search(rf"(?<![\w.])(\d{{1,2}})\.?\s+({EITHER})\s+{re.escape(written)}", source.text, re.IGNORECASE)
        day = f"{either.group(1)} {either.group(2)} " if either else ""  # "26 or 27 March": either day, not one
        head = f"{day}{written_date(d.date, ctx.language)}{f' ({tag})' if tag else ''}"
        if words.startswith(written) and len(words) > len(written) + 3:  # "1 April 2026: last day …": the date once
            words = words[len(written):].lstrip(" :–—-")
        if words in shown:  # one line, two dates: shown once with both
            item = shown[words]
            item.text = item.text.replace(DATE_SEP, f", {head}{DATE_SEP}", 1)
            continue
        ours_said = source.document in ours
        item = shown[words] = _quote(words, source, "quoted" if ours_said else "excerpt")
        item.text = f"{head}{DATE_SEP}{item.text if ours_said else _theirs(item.text, ctx)}"
        items.append(item)
    return items


def compose_first_page(picks: Picks, newest: Message | None, theirs: Message | None, notes: dict[str, list[NoteLine]],
                       profile: DealProfile, ctx: Context,
                       check: Callable[[Item, Source | None, str], None] = lambda *_: None,
                       ahead: Sequence[Dated] = (), ours: frozenset[str] = frozenset(),
                       messages: Sequence[Message] = (), terms: Sequence[Term] = (),
                       others: Sequence[Money] = (), money: Sequence[Money] = (),
                       views: Sequence[NoteLine | None] = ()) -> tuple[FirstPage, Picks]:
    """The first page: the gap in numbers, the dates ahead in order (`ahead`: their deadline and our decision
    tagged, a conflict flagged), their terms on the table in their papers' words (`terms`), each followed by what
    our notes say of it (`views`, one per term or None), the newest message and what the counterpart's newest (`theirs`) asks or offers in
    its own words, our notes' lines by role (`notes`: our position, alternatives, their side, ideas, steps agreed,
    open questions), and what the materials leave for us to decide; and the picks it confirmed. Each fact line is
    checked against the materials (`check(item, source, written)` sets its verification; the newest message's line
    may be confirmed by the header it was read from); a line not confirmed stays, set apart, and nothing is computed
    from it. Their ask is also set against our other figures of its kind (`others`: a cap, a target). The gap
    over the term only where our limit's line sets no other term (a limit for a shorter lease
    does not hold over their longer one)."""
    page = FirstPage()

    def confirmed(item: Item, fact, reading: str):
        # read against its line by the checker's rules: the first of its lines that says what kind of figure it is
        # (a cue word of the reading), for their ask also a line of theirs (their own paper states their price);
        # without one, checked as any item
        line = next((s for s in (fact.source, *fact.also) if cued(reading, s.text)), None) or (
            fact.source if reading == "their_ask" and ours and fact.source.document not in ours else None)
        check(item, line, fact.written if line is not None else "")
        return fact if item.verification in CONFIRMED else None

    ask, limit = picks.their_ask, picks.our_limit
    if ask:
        page.gap.append(item := _item(ctx.say("ask", amount=with_period(ask, ask.period, ask.currency, ctx.language)),
                                      ask.source))
        ask = confirmed(item, ask, "their_ask")
    else:
        page.to_decide.append(ctx.say("no_ask"))
    if limit:
        page.gap.append(item := _item(ctx.say("limit", amount=with_period(limit, limit.period, limit.currency,
                                                                            ctx.language)), limit.source))
        if (limit := confirmed(item, limit, "our_limit")) is None:
            page.gap.remove(item)  # a limit its own line does not bear out is no limit to compute from or to show
            page.to_decide.append(ctx.say("no_limit"))
    else:
        page.to_decide.append(ctx.say("no_limit"))
    if ask and limit and (period := comparable(ask, limit)) is not None:
        difference = ask.value - limit.value
        amount = with_period(abs(difference), period, ask.currency, ctx.language, ask.unit)
        line = "gap" if difference > 0 else "within"
        page.gap.append(_item(ctx.say(line, amount=amount, a=ask.written, b=limit.written),
                              basis=f"{ask.written} ({ask.source.document}, {ask.source.locator}) − {limit.written} "
                                    f"({limit.source.document}, {limit.source.locator})"))
        if (difference > 0 and period == "year" and not ask.unit and picks.term
                and all(years == picks.term.years for _, years in years_in(limit.source.text))):
            total = written_amount(difference * picks.term.years, ask.currency, ctx.language)
            page.gap.append(_item(ctx.say("term", amount=total, term=ctx.say("years", n=picks.term.years)),
                                  basis=f"{amount} × {picks.term.years} ({picks.term.source.document}, "
                                        f"{picks.term.source.locator})"))
    figures = yardsticks(ask, limit, others) if ask and limit else []
    against = against_figures(ask, figures, ctx) if figures else []
    offers = their_offers(ask, theirs, money, [("limit", limit), *figures], others, ctx) if (
        ask and limit and theirs is not None) else []
    page.gap += against + offers
    if ask and picks.authority and (line := _above_authority(ask, picks.term, picks.authority, ctx, picks.approvals)):
        page.gap.append(line)
    deadline, decision = picks.their_deadline, picks.our_decision
    dated = sorted([(d, "deadline") for d in [deadline] if d] + [(d, "decision") for d in [decision] if d],
                   key=lambda pair: key(pair[0].date))
    for d, name in dated:
        item = _item(ctx.say(name, date=ctx.date(d)), d.source)
        if confirmed(item, d, "their_deadline" if name == "deadline" else "our_decision") is None:
            deadline, decision = (None, decision) if name == "deadline" else (deadline, None)
    if deadline is not None and any(
            count_words(REPLY, n.text) and _names(n.text, ctx.them) and any(key(d) > key(deadline.date) for d in n.dates if d.year)
            for n in notes.get("agreed", [])):
        ahead = [d for d in ahead if key(d.date) != key(deadline.date)]
        deadline = None  # our notes answer them after it: their date is passed over, no conflict to flag
    if decision is not None and count_words(SOONER, decision.source.text):
        decision = None  # our notes can decide sooner (an extraordinary board): no date of ours to wait for
    steps = {n.source for n in notes.get("agreed", [])}  # a step of ours is a move, with its date
    page.dates = timeline([d for d in ahead if d.source not in steps],
                          replace(picks, their_deadline=deadline, our_decision=decision), ctx, ours, messages)
    if deadline and decision and key(deadline.date) < key(decision.date):
        page.dates.append(_item(ctx.say("conflict", d1=ctx.date(deadline), d2=ctx.date(decision)),
                                basis=f"{deadline.written} → {decision.written}"))
    for t, view in zip(terms, [*views, *[None] * len(terms)]):  # each term, then what our notes say of it
        page.their_terms.append(Item(text=_theirs(t.text, ctx), verification="excerpt", evidence=_evidence(t.source)))
        if view is not None:
            page.their_terms.append(Item(text=ctx.say("on_it", line=view.text), verification="quoted", evidence=[
                Evidence(document=view.source.document, quote=view.text, locator=view.source.locator, located=True)]))
    if newest and newest.source.document not in ours:  # our own notes being newest is no development to report
        subject = f" — “{newest.subject}”" if newest.subject else ""
        who = sender_name(newest)
        page.latest.append(item := _item(ctx.say("newest", who=who, date=written_date(newest.date, ctx.language),
                                                  subject=subject), newest.source))
        check(item, newest.source, newest.written)
    if theirs is not None and (said := asks_and_offers(theirs, news=True)):
        quotes = [_quote(sentence, source, "excerpt") for sentence, source in said]
        for item in quotes:  # whose words, and when where the newest document is another
            item.text = (ctx.say("their_words", who=sender_name(theirs), date=written_date(theirs.date, ctx.language),
                                 line=item.text) if theirs is not newest else _theirs(item.text, ctx))
        page.latest += quotes
    used = {e.quote for group in (page.gap, page.dates) for i in group for e in i.evidence}
    lines = {role: chosen(found, role, used) for role, found in notes.items() if role != PAST}
    page.past_steps = [n.text for n in notes.get(PAST, [])]
    page.position = [_quote(n.text, n.source) for n in lines.get("position", [])]
    page.alternatives = ([SidedItem(**_quote(n.text, n.source).model_dump(), side="ours") for n in lines.get("alternatives", [])]
                         or _alternatives(profile))
    page.their_side = [_quote(n.text, n.source) for n in lines.get("their_side", [])]
    page.ideas = [_quote(n.text, n.source) for n in lines.get("levers", [])]
    page.agreed = [_quote(n.text, n.source) for n in lines.get("agreed", [])]
    page.open_questions = [_quote(n.text, n.source) for n in lines.get("open", [])]
    if not any(a.side == "ours" for a in page.alternatives):
        page.to_decide.append(ctx.say("no_batna"))
    return page, Picks(ask, limit, deadline, decision, picks.term, picks.authority, picks.approvals, tuple(figures),
                       tuple(offers + against))


LIST_MARK = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
ASKS = {2: r"willing|could we|can we|could go|we could|we can|propos\w*|offer\w*|ready to|open to|suggest\w*|"
           r"kan vi|vi kan|villig\w*|foreslå\w*|tilby\w*|åpne for|können wir|wir können|bereit|schlagen|biete\w*|offen für",
        1: r"would|need\w*|must|by|until|deadline|trenger|må|innen|frist|brauchen|müssen|bis|frist\w*"}
"""Words of a sentence that asks, offers or proposes (2), or that sets a need or a date (1)."""
GREETING = re.compile(r"^(?:dear|hi|hello|best|kind regards|regards|thanks|thank you|hei|kjære|mvh|med vennlig|"
                      r"hallo|liebe|sehr geehrte|viele grüße|mit freundlichen)\b", re.IGNORECASE)


ADDRESS = re.compile(r"^\s*(?:[\w.-]+\s){0,2}[\w.-]+,\s*$")
"""A message's opening line that only names whom it is written to (`Katarina,`, `Dear Mr Hansen,`)."""


def asks_and_offers(message: Message, limit: int = 3, news: bool = False) -> list[tuple[str, Source]]:
    """The sentences of a message that most ask, offer, propose or set a date, in its own words and its order (at
    most `limit`, each whole and short enough to be an item), each with the line it starts on; with `news`, also its
    first whole sentence (what they tell first: they heard of our talks with others), whatever it asks."""
    lines = [s for s in message.lines if not s.text.startswith(">")] or [
        Source(message.source.document, message.source.locator, line) for line in message.body if not line.startswith(">")]
    chunks: list[tuple[Source, str]] = []  # wrapped lines joined; a list entry or a line after a sentence's end apart
    for line in lines:
        if not chunks and ADDRESS.match(line.text):  # "Katarina,": the greeting's name, no sentence of theirs
            continue
        after_entry = chunks and LIST_MARK.match(chunks[-1][0].text) and line.text[:1].isupper()
        if chunks and not after_entry and not LIST_MARK.match(line.text) and not re.search(r"[.!?:]$", chunks[-1][1]):
            chunks[-1] = (chunks[-1][0], f"{chunks[-1][1]} {line.text}")
        else:
            chunks.append((line, LIST_MARK.sub("", line.text)))
    found = []
    for source, chunk in chunks:
        for sentence in SENTENCE.split(chunk):
            sentence = " ".join(sentence.split())
            weight = sum(w * len(re.findall(rf"(?<![\w])(?:{p})(?![\w])", sentence, re.IGNORECASE)) for w, p in ASKS.items())
            weight += 2 * sentence.count("?")
            if (5 <= len(sentence.split()) and len(sentence) <= 160 and not GREETING.match(sentence)
                    and (weight or news and not found and re.search(r"[.!]$", sentence)) and not sentence.endswith(":")):
                start = " ".join(sentence.split()[:3])  # the line the sentence starts on, in a chunk of lines
                found.append((weight, len(found), sentence, next((s for s in lines if start in " ".join(s.text.split())), source)))
    best = sorted(found, key=lambda f: (-f[0], f[1]))[:limit]
    if news and found and (first := found[0]) not in best:
        best = [first, *best]  # what they tell first is the news, whether or not it asks anything
    return [(sentence, source) for _, _, sentence, source in sorted(best, key=lambda f: f[1])]


OPENING = (r"willing to|open to|ready to|prepared to|look at|discuss\w*|villig\w*|åpne for|se på|gå gjennom|drøfte|"
           r"bereit|offen für|gesprächsbereit|besprechen|anschauen")
"""Words of a sentence in which they open a subject to negotiation (not a price of theirs: that is their ask)."""


def opened(message: Message) -> str | None:
    """The first sentence of their message that opens a subject to negotiation, naming no amount."""
    return next((sentence for sentence, _ in asks_and_offers(message)
                 if count_words(OPENING, sentence) and not _FIGURE.search(sentence)), None)


def whole_sentences(text: str, limit: int = 160) -> str:
    """The first sentences of `text` that fit in `limit` characters, each whole (the first one cut at a word with an
    ellipsis only when it alone is longer)."""
    kept = ""
    for sentence in SENTENCE.split(" ".join(text.split())):
        if len(f"{kept} {sentence}".strip()) > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit - 2].rsplit(" ", 1)[0] + " …"


CLAUSE_QUOTE = 280
"""A clause or their words a move rests on: its sentence whole where it is long (a contract's sentence often is)."""
QUOTE_TEXT = 600
"""A quoted line is shown whole (validation takes four times the 160 characters a model may write)."""


def _quote(text: str, source: Source, state: str = "quoted") -> Item:
    """A line of the materials as an item: our notes' line (`quoted`), or a sentence of another document shown in
    its own words (`excerpt`)."""
    return Item(text=" ".join(text.split())[:QUOTE_TEXT], verification=state,
                evidence=[Evidence(document=source.document, quote=(text if state == "excerpt" else source.text)[:600],
                                   locator=source.locator, located=True)])


AUTHORITY = (r"can sign|sign up to|signing|approv\w*|authori[sz]\w*|mandate|board approval|need\w* (?:the )?board|"
             r"consent\w*|fullmakt\w*|godkjenn\w*|samtykke\w*|kan signere|vollmacht|genehmig\w*|zeichnungs\w*|"
             r"zustimm\w*")
"""Words near an amount of our notes that make it a signing or approval authority (a mandate, not the deal's limit)."""


def authority_of(money: list[Money], ours: frozenset[str]) -> Money | None:
    """The amount our notes give as what can be signed or approved at our level: the first whose nearby words say so
    most strongly."""
    scored = [(-count_words(AUTHORITY, _stretch(m.source.text, m.written)), i, m) for i, m in enumerate(money)
              if ours_line(m, ours) and count_words(AUTHORITY, m.source.text)]  # a line without such words: none near
    scored = [s for s in scored if s[0] < 0]
    return min(scored)[2] if scored else None


def approvals_of(money: list[Money], ours: frozenset[str]) -> tuple[Money, ...]:
    """Every amount our notes give as a threshold above which someone must sign, approve or consent (a board, a
    lender), lowest first, each value once: the first such amount of its line (the figure a line then compares
    with it is no threshold)."""
    found: dict[float, Money] = {}
    lines = set()
    for m in money:
        if (ours_line(m, ours) and not m.period and m.source not in lines
                and count_words(AUTHORITY, _stretch(m.source.text, m.written))):
            lines.add(m.source)
            found.setdefault(m.value, m)
    return tuple(sorted(found.values(), key=lambda m: m.value))


FIGURE_NAMES = {"target": r"targets?|aim|goal", "cap": r"caps?|capped", "ceiling": r"ceiling", "budget": r"budget\w*",
                "walk-away": r"walk[- ]?away", "maximum": r"maximum", "mål": r"mål\w*", "tak": r"tak(?:et)?",
                "budsjett": r"budsjett\w*", "grense": r"grensen?|smertegrense\w*", "Ziel": r"ziel\w*",
                "Obergrenze": r"obergrenze|deckel", "Budget": r"budgets?"}
"""Our figures that are a yardstick for their ask (a target, a cap, a budget), by the words that name them."""
AGAINST_MOST = 2


def yardsticks(ask: Money, limit: Money, others: Sequence[Money]) -> list[tuple[str, Money]]:
    """Our other named figures of their ask's kind (a cap, a target) beside the limit, each with its name: of one
    currency and period with it, and of its scale (within `SAME_SCALE`)."""
    found, seen = [], {ask.value, limit.value}
    for m in others:
        near = _stretch(m.source.text, m.written)
        named = next((name for name, pattern in FIGURE_NAMES.items()
                      if re.search(rf"(?<![\w])(?:{pattern})(?![\w])", near, re.IGNORECASE)), None)
        if (m.value not in seen and named and comparable(ask, m) is not None
                and ask.value <= SAME_SCALE * m.value):  # a cap on a surcharge is no yardstick for the day rate
            seen.add(m.value)
            found.append((named, m))
    return found[:AGAINST_MOST]


def against_figures(ask: Money, figures: Sequence[tuple[str, Money]], ctx: Context) -> list[Item]:
    """Their ask set against our other named figures (`yardsticks`): computed."""
    lines = []
    for named, m in figures:
        difference = ask.value - m.value
        amount = with_period(abs(difference), comparable(ask, m), ask.currency, ctx.language, ask.unit)
        lines.append(_item(ctx.say("against" if difference > 0 else "against_within", figure=named,
                                   b=m.written, amount=amount),
                           basis=f"{ask.written} ({ask.source.document}, {ask.source.locator}) − {m.written} "
                                 f"({m.source.document}, {m.source.locator})"))
    return lines


CLOSE = 1.5
"""Two amounts of one currency and period within this ratio, one of them without a unit, are read as of one kind."""


def their_offers(ask: Money, theirs: Message, money: Sequence[Money], ours: Sequence[tuple[str, Money]],
                 others: Sequence[Money], ctx: Context) -> list[Item]:
    """Each other price of their newest message above one of our named figures of the same kind (the figure itself
    or another on its line, as a table row gives a rent per square foot beside the yearly rent): computed."""
    said = theirs.places
    lines = []
    for m in money:
        if (m.source.document, m.source.locator) not in said or m.value == ask.value or cue_score("their_ask", m) < 0:
            continue
        for name, figure in ours:
            row = [figure, *(o for o in others if o.source == figure.source and o is not figure)]
            g = next((o for o in row if o.currency == m.currency and o.period == m.period
                      and (o.unit == m.unit or not o.unit or not m.unit) and o.value < m.value <= CLOSE * o.value), None)
            if g is not None:
                unit = m.unit or g.unit
                what = ctx.say("our_figure", figure=name)
                text = ctx.say("offer_above", a=m.written, b=g.written, what=what,
                               amount=with_period(m.value - g.value, m.period, m.currency, ctx.language, unit))
                basis = (f"{m.written} ({m.source.document}, {m.source.locator}) − {g.written} "
                         f"({g.source.document}, {g.source.locator})")
                if g is not figure and unit and figure.value > g.value:  # a price per unit beside our total on its row
                    count = figure.value / g.value  # the units our row prices: the same count at their price
                    whole = abs(count - round(count)) < 0.01  # a whole count: the total exact, else an estimate
                    total = m.value * round(count) if whole else rounded(m.value * count, 3)
                    shown = written_amount(total, m.currency, ctx.language)
                    text = uncomputed(text) + ctx.say("offer_year", unit=unit, what=what, b=figure.written,
                                                      total=shown if whole else f"~{shown}",
                                                      amount=written_amount(total - figure.value, m.currency,
                                                                            ctx.language))
                    basis += f"; {m.written} × ({figure.written} ÷ {g.written})"
                lines.append(_item(text, basis=basis))
                break
    return lines[:AGAINST_MOST]


def rounded(value: float, figures: int) -> float:
    """`value` to its first `figures` figures: an estimate is not more exact than its inputs."""
    scale = 10 ** max(0, len(str(int(value))) - figures)
    return int(value / scale + 0.5) * scale


def _above_authority(ask: Money, term: Duration | None, authority: Money, ctx: Context,
                     approvals: Sequence[Money] = ()) -> Item | None:
    """Their ask, over the term where it is yearly, against the authority: a line when it is above it; when it is
    above two or more of our notes' approval thresholds (`approvals`), all of them, lowest first."""
    if ask.currency != authority.currency or ask.unit or authority.unit or authority.period:
        return None
    total = ask.value * term.years if ask.period == "year" and term else ask.value
    if ask.period and not (ask.period == "year" and term) or total <= authority.value:
        return None
    amount = written_amount(rounded(total, 2), ask.currency, ctx.language)  # "about": two figures, no more
    basis = (f"{ask.written} × {term.years} ({term.source.document}, {term.source.locator})" if total != ask.value
             else f"{ask.written} ({ask.source.document}, {ask.source.locator})")
    passed = [m for m in approvals if m.currency == ask.currency and m.value < total]
    if authority in passed and len(passed) > 1:
        where = lambda m: f"{m.source.document}, {m.source.locator}"  # noqa: E731
        head = ctx.say("ask_total", total=amount) if total != ask.value else ctx.say("ask_is", total=ask.written)
        return _item(ctx.say("ladder", head=head, thresholds="; ".join(
                         f"{with_period(m, '', m.currency, ctx.language)} ({where(m)})" for m in passed)),
                     basis=f"{basis} > " + ", ".join(f"{m.written} ({where(m)})" for m in passed))
    return _item(ctx.say("authority", total=amount, authority=authority.written,
                         where=f"{authority.source.document}, {authority.source.locator}"),
                 basis=f"{basis} > {authority.written} ({authority.source.document}, {authority.source.locator})")


def check_line(item: Item, source: Source | None, written: str, check: Callable[[Item], None],
               on_line: Callable[[str, str, str], ClaimCheck | None] = lambda *_: None) -> None:
    """`item` read by the claim checker against the line its figure or date was read from (`on_line`), else checked
    as any item (`check`). What the checker finds only weak or unverified is still `read` from that line when the
    line holds the figure or date (`written`) the item states: the line is shown, and nothing says otherwise."""
    result = on_line(item.text, source.document, source.text) if source is not None else None
    if result is not None:
        item.verification, item.issues_found = result.state, [] if result.state == "verified" else [result.reason]
        item.evidence = passage_of(result)
    else:
        check(item)
    if item.verification in ("weak", "unverified") and source is not None and written and not any(
            missing_quantities(written, source.text)):
        item.verification, item.issues_found = "read", []
        item.evidence = _evidence(source)


def sender_name(message: Message) -> str:
    """Who wrote a message, as its header names them (without the address); its document's name without one."""
    return message.sender.split("<")[0].strip().strip('"') or message.source.document


def _alternatives(profile: DealProfile) -> list[SidedItem]:
    """Each side's best checked alternative (a full one before a partial one), as the deal profile states it."""
    chosen = []
    for side in ("ours", "theirs"):
        found = [a for a in profile.alternatives if a.side == side and a.verification in ("verified", "quoted")]
        found.sort(key=lambda a: a.type != "batna")
        if found:
            a = found[0]
            chosen.append(SidedItem(text=a.text, side=a.side, evidence=a.evidence, verification=a.verification,
                                    kind=a.kind, basis=a.basis))
    return chosen


def asked(line: str) -> bool:
    """An open question of our notes written as a question (asked in the meeting rather than listed as open)."""
    return line.rstrip().endswith("?")


def _names(text: str, side: str) -> bool:
    """`text` names `side` (a word of its name) or speaks of them."""
    return any(w.lower() in text.lower() for w in name_words(side)) or count_words(THEY, text) > 0


def _theirs(text: str, ctx: Context) -> str:
    """Their words in the brief: in quotation marks after their name where they speak of themselves as we."""
    return f"{ctx.them}: “{text}”" if FIRST_PERSON.search(text) else text


WEAK = (r"no real|not a real|no full|not a full|no second|no plan b|not possible before|cannot be ready before|"
        r"at most \d+ of|ikke en fullverdig|ingen reell|ingen fullverdig|ikke mulig før|tidligst|kein\w* echte\w*|"
        r"kein\w* vollwertig\w*|nicht vor|frühestens")
"""Words of our notes that rate an alternative of ours as partial or late."""
NOT_LOCKED = (r"not locked|not tied|not captive|ikke (?:er )?låst|ikke bundet|nicht festgelegt|nicht gebunden|"
              r"nicht eingesperrt")
"""Words of our notes that mean to use partial alternatives to show we are not locked in."""
RED_LINE = (r"red lines?|non-negotiable|not negotiable|will not pass|cannot accept|deal-?breaker|must not accept|"
            r"rød linje|ufravikelig\w*|ikke forhandlingsbar\w*|kan ikke godta|rote linie|nicht verhandelbar|"
            r"unverzichtbar\w*|k\.?o\.?-kriterium")
"""Words of a line of our notes that sets a red line: a precondition, never a currency of trade."""
TRADE = (r"trade\w*|exchange|in return|swap\w*|bytte\w*|mot at|til gjengjeld|im gegenzug|tausch\w*|gegenleistung\w*|"
         r"gegen")
"""Words of a line of our notes that gives one thing for another (an idea without them is no trade)."""
NOT = r"not|never|no|ikke|aldri|nei|nicht|nie|kein\w*"
GENERIC_NEED = {"need", "needs", "need to", "trenger", "behov", "braucht", "brauchen", "bedarf"}


UNCAPPED = re.compile(r"(?<![\w])(?:no cap|uncapped|without (?:a |any )?cap|not capped|uten tak|ikke begrenset|"
                      r"ohne (?:deckel|obergrenze|begrenzung))(?![\w])", re.IGNORECASE)
UPFRONT = re.compile(r"(?<![\w])(?:100\s?% (?:due|payable|at|on)|due (?:in full )?at signature|payable (?:in full )?"
                     r"(?:at signature|in advance|upfront)|up-?front|forskuddsvis|ved signering|bei unterzeichnung|"
                     r"im voraus)(?![\w])", re.IGNORECASE)


COMPUTED_TAG = re.compile(r"\s*\((?:computed|beregnet|berechnet)\)")


def uncomputed(text: str) -> str:
    """A computed line as a sentence of the summary: without its "(computed)" tag."""
    return COMPUTED_TAG.sub("", text)


def term_ask(text: str, ctx: Context) -> str | None:
    """What to ask for on a term of theirs that has no cap (a cap) or is paid at once (phasing), by its label."""
    if ": “" in text[:60] or text.startswith(("\"", "“")):
        return None  # a sentence of theirs, not a labelled term
    label = re.split(r" · |:", text, maxsplit=1)[0].strip()
    if not 2 < len(label) <= 60 or label == text.strip():
        return None
    label = label[0].lower() + label[1:] if not label[:2].isupper() else label
    if UPFRONT.search(text):
        return ctx.say("ask_phasing", label=label)
    if UNCAPPED.search(text):
        return ctx.say("ask_cap", label=label)
    return None


def tradeable(need: NoteLine, lines: Sequence[NoteLine]) -> bool:
    """What a line says they need may be traded: no other line of our notes names the same thing with a negation
    ("a reference statement, not tied to price")."""
    topics = {m.group(0).lower()[:7] for m in re.finditer(rf"(?<![\w])(?:{NEEDS})(?![\w])", need.text, re.IGNORECASE)
              if m.group(0).lower() not in GENERIC_NEED}
    return not any(n.text != need.text and count_words(NOT, n.text) and any(t in n.text.lower() for t in topics)
                   for n in lines)


WH_WORDS = (r"(?:when|what|whether|where|who|which|how|why|hvor\w*|når|hva|hvem|hvilke?\w*|om|hvorfor|wann|was|ob|wo|"
            r"wer|welche\w*|wie|warum)(?![\w])")
WH = re.compile(r"^\W*" + WH_WORDS, re.IGNORECASE)
"""An open point of our notes written as what we need to find out (`When FlowSuite Cloud becomes available`)."""


def to_ask(line: str, ctx: Context, elsewhere: frozenset[str] = frozenset(), theirs: frozenset[str] = frozenset()) -> bool:
    """An open question of our notes to put to them: written as a question (a question mark, or opening with what we
    need to find out), naming no third party (a name, not the sentence's first word, that is neither side's, nor a
    month's, nor one their own papers use, `theirs`: their product; German capitalises every noun, so there only the
    names of `elsewhere`: those our alternatives' lines write, a fallback they must not hear of)."""
    names = {m.group(0).split("'")[0].lower() for m in PROPER.finditer(line)
             if not re.search(r"[.?!:]\s*$", line[:m.start()])}  # a sentence's first word is no name
    if not ("?" in line or WH.match(line)) or names & elsewhere:
        return False
    if language_code(ctx.language) == "de":
        return True
    return not names - ctx.side_words - theirs - {m.lower() for ms in MONTHS.values() for m in ms}


UNKNOWN = re.compile(r"^\W*(?:we do not know|we don't know|it is (?:not )?(?:unclear|unknown)|unclear|unknown|"
                     r"vi vet ikke|det er (?:uklart|ukjent)|uklart|wir wissen nicht|es ist unklar|unklar)\s*:?\s*",
                     re.IGNORECASE)


ALSO_WH = re.compile(r"[,;]?\s+(?:or|and|nor|eller|og|oder|und|noch)\s+(?=" + WH_WORDS + ")", re.IGNORECASE)
"""Where an open point goes on to what we need to find out (`… position, or who at Baltica can approve a deal`)."""


def to_question(line: str) -> str:
    """Our notes' "We do not know whether …" (or "… X, or who …") as the thing to find out ("Whether …", "Who …");
    a line that asks, its questions only (what our notes add after them is said among ourselves, not at the
    table); any other line as written."""
    if "?" in line and (asked := [s for s in SENTENCE.split(line) if s.rstrip().endswith("?")]):
        return " ".join(asked)
    rest = UNKNOWN.sub("", line, count=1)
    if rest != line and not WH.match(rest) and len(parts := ALSO_WH.split(rest, maxsplit=1)) == 2:
        rest = parts[1]
    return rest[:1].upper() + rest[1:] if rest != line and WH.match(rest) else line


PROPOSE = re.compile(r"^\W*(?:propose|offer|suggest|put forward|table|foreslå|tilby|legg(?:e)? fram|schlagen wir vor|"
                     r"vorschlagen|anbieten|bieten)(?![\w])", re.IGNORECASE)
"""A step of our notes that tables a proposal (`Propose either a 12-month bridge … or …`): substance, not process."""


def _step(line: NoteLine, ctx: Context, dimension: str = "process", why: str = "w_agreed") -> Move:
    """A step or idea of our notes as a move: its first sentences without a label that only says it is a step
    (`Agreed:`, `Action:`), and the rest of the line (else where it stands) as why; a step that trades one thing for
    another is a trade our notes agreed (substance)."""
    text = line.text
    if (label := LABEL.match(text)) and heading_role(label.group(1)) == "agreed":
        text = text[label.end(1) + 1:].strip()
        text = text[:1].upper() + text[1:]
    if why == "w_agreed" and count_words(TRADE, text):
        dimension, why = "substance", "w_agreed_trade"
    elif why == "w_agreed" and PROPOSE.match(text):  # what to table: the package our notes agreed
        dimension, why = "substance", "w_agreed_proposal"
    line = replace(line, text=text)
    move = whole_sentences(line.text)
    rest = " ".join(line.text.split())[len(move):].strip()
    where = f"{line.source.document}, {line.source.locator}"
    why = whole_sentences(f"{rest} ({ctx.say('your_notes')}, {line.source.locator})") if rest else ctx.say(why, where=where)
    return Move(move=move, dimension=dimension, why=why)


HOLD_BACK = (r"not in a position to|unable to|cannot|can ?not|will not|won't|uncertain whether we can|unsure whether we "
             r"can|suspend\w*|withh[oe]ld\w*|kan ikke|vil ikke|usikre på om vi kan|usikker på om vi kan|stanse\w*|holde "
             r"tilbake|nicht in der lage|können nicht|werden nicht|aussetzen|zurückhalten|zurückbehalten")
SERVICE = r"deliver\w*|supply|suppl\w*|servic\w*|levere\w*|leveranse\w*|drift\w*|liefer\w*|leist\w*|betrieb\w*"


PENALTY = (r"penalt\w*|fines?|non-?compliance|liquidated damages|costs? us|dagbot|bot|mulkt\w*|gebyr\w*|koster oss|"
           r"vertragsstrafe\w*|konventionalstrafe\w*|strafe\w*|bußgeld\w*|kostet uns")
"""Words by which a figure a day is what a date costs us (a penalty), not a day rate."""


def delay_cost(ahead: Sequence[Dated], money: Sequence[Money], ours: frozenset[str]) -> tuple[Money, Dated] | None:
    """The first date ahead on a line of our notes that also sets what each day from it costs us (`from 1 July
    … Non-compliance costs NOK 180,000 per day in penalties`), with that figure."""
    for d in sorted(ahead, key=lambda d: key(d.date)):
        if not ours_line(d, ours):
            continue
        for m in money:
            if m.source == d.source and m.period == "day" and count_words(PENALTY, _sentence_of(m.source.text, m.written)):
                return m, d
    return None


def _sentence_of(text: str, written: str) -> str:
    """The sentence of `text` that holds `written` (`_words_around`, uncut), without its list and emphasis marks."""
    line = plain_line(text)
    return _words_around(line, written, len(line))


def viewed_terms(page: FirstPage, ctx: Context) -> list[tuple[str, str, Item]]:
    """Their terms that our notes speak of (each followed on the page by what our notes say of it): the term,
    our notes' words, and the page's item that says them."""
    prefix = ctx.say("on_it", line="")
    return [(term.text.rstrip(". "), item.text[len(prefix):], item)
            for term, item in zip(page.their_terms, page.their_terms[1:])
            if item.text.startswith(prefix) and not term.text.startswith(prefix)]


def foresee(expected: NoteLine | None, ctx: Context) -> str:
    """What the materials expect them to argue, with where it is said ('' for nothing)."""
    if expected is None:
        return ""
    return ctx.say("w_expect", line=whole_sentences(expected.text),
                   where=f"{expected.source.document}, {expected.source.locator}")


def due_step(steps: Sequence[NoteLine], deadline: Dated | None, ctx: Context) -> tuple[Move, Date] | None:
    """The earliest step of our notes dated no later than their deadline (a date without a year read in the
    deadline's year), as a move, and its date."""
    if deadline is None:
        return None
    found = []
    for i, n in enumerate(steps):
        if re.match(rf"\W*(?:{NOT})(?![\w])", n.text, re.IGNORECASE):  # `No signature by 31 March`: no step to take
            continue
        dates = [replace(d, year=d.year or deadline.date.year) for d in n.dates]
        if due := min((d for d in dates if key(d) <= key(deadline.date)), key=key, default=None):
            found.append((key(due), i, n, due))
    if not found:
        return None
    _, _, n, due = min(found)
    return _step(n, ctx), due


MOVES_AT_LEAST = 3
"""Our notes' agreed steps become moves only to make up this many: a step the client wrote is no advice of ours."""


SAME_TERMS = re.compile(r"(?<![\w])(?:same (?:prices?|terms|rent|conditions)|on the terms|passing rent|samme pris\w*|"
                        r"samme vilkår\w*|gleiche\w* (?:preise|bedingungen)|bisherigen (?:preise|bedingungen))(?![\w])",
                        re.IGNORECASE)
"""A sentence of the right to go on that keeps today's prices or terms (`the same prices and terms apply`)."""
TERMS_OF = re.compile(r"(?<![\w])(?:clause|article|section|punkt|klausul|artikel|ziffer|§)\s*\d|\d\s?%|"
                      r"(?<![\w])(?:terms|vilkår\w*|bedingungen|konditionen)(?![\w])", re.IGNORECASE)
"""What makes a line of our notes speak of the contract's terms: a clause, a rate, the word itself."""


def _their_sentence(page: FirstPage, says: Callable[[str], bool]) -> str | None:
    """The first sentence in their own words (their terms on the table, their newest message) that `says`."""
    for item in [*page.their_terms, *page.latest]:
        if item.verification != "excerpt":
            continue
        for e in item.evidence:
            for sentence in SENTENCE.split(" ".join(e.quote.split())):
                if says(sentence):
                    return sentence
    return None


def held_back(page: FirstPage) -> str | None:
    """Their own words that they hold back or doubt what they are to deliver (`not in a position to carry out the
    delivery`, `usikre på om vi kan levere`)."""
    return _their_sentence(page, lambda s: bool(count_words(HOLD_BACK, s) and count_words(SERVICE, s)))


PRESSURE = (r"if we (?:do not|don't|cannot|can't|can not)|otherwise we (?:will|would|must|have to)|another (?:occupier|"
            r"tenant|bidder|buyer|customer|client|party|offer|supplier)|answer soon|reply soon|hvis vi ikke|ellers må vi|"
            r"en annen (?:leietaker|kunde|interessent|budgiver|leverandør)|wenn wir (?:nicht|keine?n?)|sonst müssen wir|"
            r"ein(?:en)? anderen? (?:mieter|kunden|interessenten|bieter)")
"""Their words that press us: a condition with a consequence, another party in the wings, an answer wanted soon."""


def pressed(page: FirstPage) -> str | None:
    """Their own words that hold back what they are to deliver, else that press us (`We have another occupier
    viewing the park in April, so we would like an answer soon`)."""
    return held_back(page) or _their_sentence(page, lambda s: bool(count_words(PRESSURE, s)))


def compose_synthesis(page: FirstPage, picks: Picks, newest: Message | None, ctx: Context,
                      read_limit: bool = False, open_lines: list[NoteLine] = (), agreed: list[NoteLine] = (),
                      theirs: Message | None = None, ideas_lines: list[NoteLine] = (),
                      their_lines: list[NoteLine] = (), all_lines: list[NoteLine] = (),
                      position_lines: list[NoteLine] = (), insights: Sequence[Item] = (),
                      going_on: Item | None = None, right: Item | None = None,
                      duty: Item | None = None, clock: tuple[Money, Dated] | None = None,
                      expected: NoteLine | None = None, leaving: Item | None = None) -> WrittenSynthesis:
    """The executive summary, plan, moves and questions composed from the first page's facts (a small model's
    briefing). The moves, at most four: their hold-back answered by the contract's duty of theirs (`duty`), the
    contract's strongest right for us (`right`: its strongest sentence, unless a move of our notes already names its
    clause), what they need (our notes' lines on their side, `their_lines`) traded only for closing the gap (unless
    another line of our notes, `all_lines`, keeps it out of the trade), what their newest message opens, a red line
    of our notes' position (`position_lines`) kept out of any trade, our notes' trade ideas (`ideas_lines`) and a
    trade they agreed, and only to make up `MOVES_AT_LEAST` their other steps (`agreed`; toward them first; none that
    relies on the clause the moves open on), each in its own words saying where it stands; a generic move only
    where the notes give none (get their figure, decide our limit), and answering their newest message (`theirs`)
    only where nothing else is to do: a pattern instantiated without the facts that make it right does harm. The
    summary also gives the first of what the figures come to (`insights`), their deadline before our decision, what
    each day from a date ahead costs us (`clock`: `delay_cost`) beside what they need, what their newest message
    opens, whether the contract lets us go on (`going_on`) and what our alternative would cost (`leaving`). What
    the materials expect them to argue
    (`expected`) goes with the move on our strongest right, else is a move of its own. The questions are our notes'
    open questions to put to them (`to_ask`). `read_limit`: a figure was read as our limit, though not confirmed
    (then no move asks to decide one)."""
    ask, limit = picks.their_ask, picks.our_limit
    summary: list[str] = []
    gap_amount = ""
    if ask and limit and (period := comparable(ask, limit)) is not None:
        difference = ask.value - limit.value
        gap_amount = with_period(abs(difference), period, ask.currency, ctx.language, ask.unit)
        a = with_period(ask, ask.period, ask.currency, ctx.language)
        b = with_period(limit, limit.period, limit.currency, ctx.language)
        summary.append(ctx.say("summary_gap" if difference > 0 else "summary_within", a=a, b=b, amount=gap_amount))
        if difference <= 0:
            gap_amount = ""
    elif ask:
        summary.append(ctx.say("summary_ask", a=with_period(ask, ask.period, ask.currency, ctx.language)))
    computed = [*insights, *picks.compared] or [i for i in page.gap if i.kind == "inference" and not limit]
    summary += [uncomputed(i.text) for i in computed[:1]]  # what the figures come to (without a limit: approvals)
    heads = [i.text.split(DATE_SEP)[0] for i in page.dates if DATE_SEP in i.text]
    if heads and "(" not in heads[0]:  # the nearest date ahead, where it is neither their deadline nor our decision
        summary.append(ctx.say("summary_nearest", line=whole_sentences(page.dates[0].text, SUMMARY_LINE)))
    if conflict := [uncomputed(i.text) for i in page.dates if i.basis][:1]:  # their deadline before our decision
        summary += conflict
    elif ahead := [h for h in heads if "(" in h and not (going_on and ctx.say("tag_deadline") in h)] or [
            h for h in heads[:SUMMARY_DATES] if not going_on or "(" not in h]:  # their deadline (said below when the
        summary.append(ctx.say("summary_dates", dates=", ".join(ahead)))  # contract lets us go on), our decision
    wanting = [n for n in their_lines if count_words(NEEDS, n.text) and not count_words(DEMANDS, n.text)]
    needs = [n for n in wanting if tradeable(n, all_lines)]
    if clock is not None:  # what each day from a date ahead costs us, beside what they need (unless a move trades it)
        cost, when = clock
        said = dict.fromkeys(_sentence_of(cost.source.text, w) for w in (when.written, cost.written))
        summary.append(ctx.say("summary_clock", date=ctx.date(when), line=" ".join(said),
                               where=f"{ctx.say('your_notes')}, {cost.source.locator}"))
        if wanting and not (gap_amount and needs):
            summary.append(ctx.say("summary_their_need", line=whole_sentences(wanting[0].text),
                                   where=f"{ctx.say('your_notes')}, {wanting[0].source.locator}"))
    if len(pairs := viewed_terms(page, ctx)) >= 2:  # their items, each with what our notes say of it: said here only
        summary.append(ctx.say("summary_items", pairs="; ".join(f"{term} — “{view}”" for term, view, _ in pairs)))
        seen = {id(i) for _, _, i in pairs}
        page.their_terms = [i for i in page.their_terms if id(i) not in seen]
    if going_on is not None:  # the contract lets us go on without a new deal
        clause, deadline = going_on.text.split(":")[0], picks.their_deadline
        by = next((i.text.split(DATE_SEP)[0] for i in page.dates if DATE_SEP in i.text  # the date to use it by
                   and GO_ON.search(i.text.split(DATE_SEP, 1)[1])), None)
        summary.append(ctx.say("summary_go_on_by", clause=clause, date=by) if by
                       else ctx.say("summary_go_on_deadline", clause=clause, date=ctx.date(deadline)) if deadline
                       else ctx.say("summary_go_on", clause=clause))
    if weak := next((a for a in page.alternatives if a.side == "ours" and count_words(WEAK, a.text)), None):
        shown = any(a.side == "ours" and count_words(NOT_LOCKED, a.text) for a in page.alternatives)
        summary.append(ctx.say("summary_partial" if shown else "summary_weak",  # as our notes mean to use them
                               where=f"{ctx.say('your_notes')}, {weak.evidence[0].locator}"
                               if weak.evidence else ctx.say("your_notes")))
    if leaving is not None:  # what our alternative would cost, set against our limit
        summary.append(uncomputed(leaving.text))
    dated = {e.quote for i in page.dates for e in i.evidence}
    toward = sorted((n for n in agreed if n.source.text[:QUOTE_TEXT] not in dated),  # not listed twice; a step
                    key=lambda n: not _names(n.text, ctx.them))  # toward them before our own preparation
    steps = [_step(n, ctx) for n in toward]
    if theirs is not None and newest is theirs:
        who, date = sender_name(theirs), written_date(theirs.date, ctx.language)
        summary.append(ctx.say("summary_opens", who=who, date=date, line=opening) if (opening := opened(theirs))
                       else ctx.say("summary_newest", who=who, date=date))
    anchor = min([(ctx.say("our_limit"), limit), *((ctx.say("our_figure", figure=n), m) for n, m in picks.yardsticks)],
                 key=lambda pair: pair[1].value) if limit else None  # the lowest of our figures: not our walk-away
    wording = "m_trade" if anchor and anchor[1] is not limit else "m_trade_limit"  # a walk-away is no target
    extras = [ask for item in page.their_terms if (ask := term_ask(item.text, ctx))][:2]
    also = ctx.say("m_trade_also", asks=ctx.say("also_and").join([", ".join(extras[:-1]), extras[-1]] if len(extras) > 1
                                                             else extras)) if extras else ""
    moves = ([Move(move=ctx.say(wording, b=anchor[1].written, what=anchor[0]) + also, dimension="substance",
                   why=ctx.say("w_trade", need=whole_sentences(needs[0].text)))] if gap_amount and needs else [])
    red = [Move(move=ctx.say("m_red_line"), dimension="substance",
                why=ctx.say("w_red_line", line=whole_sentences(n.text, CLAUSE_QUOTE),
                            where=f"{n.source.document}, {n.source.locator}"))
           for n in position_lines if count_words(RED_LINE, n.text)][:1]
    if theirs is not None and newest is theirs and (opening := opened(theirs)):  # what they opened, our red line aside
        moves.append(Move(move=ctx.say("m_opening_red" if red else "m_opening", who=sender_name(theirs),
                                       date=written_date(theirs.date, ctx.language)),
                          dimension="process", why=ctx.say("w_opening", line=_theirs(opening, ctx))))
    moves += red
    moves += [_step(n, ctx, "substance", "w_idea") for n in ideas_lines][:2]  # what to put on the table, then
    moves += [m for m in steps if m.dimension == "substance"][:1]  # a trade or proposal our notes agreed
    if conflict and len(moves) < 4:  # their deadline before our decision: a dated path, not their date
        d1, d2 = ctx.date(picks.their_deadline), ctx.date(picks.our_decision)
        moves.append(Move(move=ctx.say("m_path", d1=d1, d2=d2), dimension="process", why=ctx.say("w_path", d1=d1, d2=d2)))
    if not ask and not page.gap:  # no amount read as their ask at all
        moves.append(Move(move=ctx.say("m_ask"), dimension="substance", why=ctx.say("w_ask")))
    if not limit and not read_limit:
        moves.append(Move(move=ctx.say("m_limit"), dimension="process", why=ctx.say("w_limit")))
    answer = None  # the contract's clause that answers them: their duty to what they hold back, else our right to go on
    if duty is not None and (held := held_back(page)):
        answer, wording = duty, "m_duty"
    elif going_on is not None and (held := pressed(page)):
        same = right is not None and right.text.split(":")[0] == going_on.text.split(":")[0]
        answer, wording = (right if same else going_on), "m_go_on"  # in its strongest sentence where it is the same
        kept = [t for t in SENTENCE.split(" ".join(going_on.text.partition(":")[2].split())) if SAME_TERMS.search(t)]
        if same and kept and not any(t in right.text for t in kept):  # and the one that keeps today's prices
            answer = right.model_copy(update={"text": f"{right.text} {kept[0]}"})
    if answer is not None:
        clause, _, words = answer.text.partition(":")
        why = ctx.say("w_duty", theirs=whole_sentences(plain_line(held), CLAUSE_QUOTE),
                      duty=whole_sentences(words.strip(), CLAUSE_QUOTE))
        if wording == "m_go_on" and (view := max((n for n in position_lines if GO_ON.search(n.text)), default=None,
                                                key=lambda n: len(TERMS_OF.findall(n.text)))):
            why += " " + ctx.say("w_red_line", line=whole_sentences(view.text, CLAUSE_QUOTE),
                                 where=f"{view.source.document}, {view.source.locator}")
        moves.insert(0, Move(move=ctx.say(wording, clause=clause.strip()), dimension="substance", why=why))
    answered = answer is not None
    relies_on = "(?!x)x"  # the clause the moves open on: a step of our notes that relies on it adds nothing
    if (opener := right) is not None and all(a is None or opener.text.split(":")[0] != a.text.split(":")[0]
                                              for a in (answer, duty)):
        clause, _, words = opener.text.partition(":")
        relies_on = rf"(?<![\w]){re.escape(' '.join(clause.split()[:2]).rstrip('.—–- '))}(?![\w.])"
        if words and not any(re.search(relies_on, m.move, re.IGNORECASE) for m in moves):
            moves.insert(1 if answered else 0, Move(move=ctx.say("m_right", clause=clause.strip()), dimension="substance",
                                                    why=ctx.say("w_right", line=whole_sentences(words.strip(),
                                                                                                CLAUSE_QUOTE)) + (
                                                        foreseen := foresee(expected, ctx))))
            expected = None  # what they will argue goes with our strongest right: said once
    if expected is not None:  # what they will argue, where no right of ours opens the moves
        moves.append(Move(move=ctx.say("m_expect"), dimension="process", why=foresee(expected, ctx).strip()))
    moves += [m for m in steps if m not in moves and not re.search(relies_on, m.move, re.IGNORECASE)][
        :max(0, MOVES_AT_LEAST - len(moves))]  # our notes' steps fill in
    if not moves and theirs is not None and newest is theirs:  # nothing else to do: answer what they sent
        who, date = sender_name(theirs), written_date(theirs.date, ctx.language)
        moves.append(Move(move=ctx.say("m_answer", who=who, date=date), dimension="process", why=ctx.say("w_answer")))
    elsewhere = frozenset(w.split("'")[0].lower() for a in page.alternatives for w in PROPER.findall(f" {a.text}")) - ctx.side_words
    writer = frozenset(w.lower() for w in PROPER.findall(f" {sender_name(theirs)}")) if theirs is not None else frozenset()
    their_names = frozenset(w.split("'")[0].lower() for i in [*page.their_terms, *page.latest]
                            if i.verification == "excerpt" for e in i.evidence
                            for w in PROPER.findall(f" {e.quote}")) | writer  # who writes for them is theirs to name
    questions = [q for n in open_lines if to_ask(q := to_question(n.text), ctx, elsewhere, their_names - elsewhere)]
    verify = [ctx.say("verify_limit")] if not limit and not read_limit else []
    if not any(a.side == "ours" for a in page.alternatives):
        verify.append(ctx.say("verify_alt"))
    moves = moves[:4]
    if due := due_step(toward, picks.their_deadline, ctx):  # a step of our notes that cannot wait for the meeting: first
        step, when = due
        moves = [m for m in moves if m.move != step.move]
        moves = [Move(move=step.move, dimension=step.dimension, why=ctx.say(
            "w_due_deadline" if key(when) == key(picks.their_deadline.date) else "w_due", due=written_date(
                when, ctx.language), date=ctx.date(picks.their_deadline), why=step.why)), *moves][:4]
    if trade := next((n for n in ideas_lines if count_words(TRADE, n.text)), None):  # our notes' first trade, as written
        summary.append(ctx.say("summary_plan", line=whole_sentences(trade.text, SUMMARY_LINE)))
    plan = Plan(process=[m.move for m in moves if m.dimension == "process"][:3],
                relationship=[m.move for m in moves if m.dimension == "relationship"][:1] or [ctx.say("relationship")],
                substance=[m.move for m in moves if m.dimension == "substance"][:3])
    return WrittenSynthesis(executive_summary=" ".join(summary) or page.to_decide[0] if (summary or page.to_decide) else "—",
                            plan=plan, next_moves=moves, questions_to_ask=questions[:3],
                            verify_before_meeting=verify[:4])
