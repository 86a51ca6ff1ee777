"""Privacy statement (AVG) in plain Dutch: what is stored, who sees what, how long, how to delete."""

import streamlit as st

from scoring import disclosure
from storage.store import DEFAULT_RETENTION_MONTHS, RETENTION_CHOICES, ZELFSCAN_RETENTION_MONTHS
from ui import privacy, theme

theme.apply()

st.title("Privacy")
st.markdown(
    "Deze pagina zegt wat de Samenwerkingsspiegel bewaart, wie wat ziet, hoe lang de gegevens blijven "
    "en hoe u ze laat verwijderen. De organisatie die de app aanbiedt (meestal de griffie of de gemeente) "
    "is verantwoordelijk voor de gegevens; met vragen kunt u bij haar of bij de begeleider terecht."
)

st.header("Wat we bewaren")
st.markdown(
    "- **Van een deelnemer:** de gemeente en de rol die u kiest, uw antwoorden op de stellingen, en "
    "wanneer u begon, antwoordde en klaar was. U krijgt een code (bijvoorbeeld D-K7MX3P) in plaats van "
    "een naam. Bij een zelfscan ook de naam van de samenwerking die u typt.\n"
    "- **Van een sessie:** de naam, de gemeenten, de rollen en onderdelen, de anonimiteitsgrens, de "
    "bewaartermijn en wanneer de sessie is gemaakt en gesloten.\n"
    "- **Links:** van de persoonlijke link en de begeleiderslink bewaren we alleen een onherleidbare "
    "vingerafdruk (een hash), niet de link zelf.\n"
    "- **Wat we niet bewaren:** geen namen van personen, geen e-mailadressen, geen IP-adressen. De app "
    "schrijft geen links, namen of antwoorden in haar logboek. Er zijn geen cookies behalve wat "
    "Streamlit (de techniek van de app) nodig heeft om de verbinding veilig te houden; geen "
    "volgcookies en geen statistieken over uw bezoek."
)

st.header("Wie ziet wat")
st.markdown(
    "- **U als deelnemer** ziet uw eigen antwoorden en uw eigen resultaat. Als de begeleider de "
    "resultaten toont, ziet u ook het gemiddelde van uw gemeente en van de hele groep.\n"
    "- **De zaal** ziet op het Presentatiescherm alleen cijfers per groep (gemeente, rol, hele groep) "
    "en aantallen deelnemers.\n"
    "- **De begeleider** ziet met de begeleiderslink hetzelfde, de precieze aantallen, en kan het "
    "bestand *Ruwe antwoorden* downloaden: per deelnemer (code, geen naam) de antwoorden met gemeente "
    "en rol. Dat bestand is niet om te publiceren.\n"
    "- **De raad en de griffie** krijgen *Resultaten voor de raad*: alleen cijfers per groep, nooit een "
    "rij per persoon."
)
st.markdown(f"**Kleine groepen.** {disclosure.rule_text(3)} (3 is de standaardgrens; de begeleider kan een andere kiezen.)")

st.header("Hoe lang we het bewaren")
choices = ", ".join(str(m) for m in RETENTION_CHOICES)
st.markdown(
    f"- **Een workshop-sessie** wordt met alle deelnemers en antwoorden verwijderd "
    f"**{DEFAULT_RETENTION_MONTHS} maanden na het sluiten** (nooit gesloten: na het aanmaken). De begeleider "
    f"kiest bij het aanmaken een andere termijn ({choices} maanden) en kan die later wijzigen.\n"
    f"- **Een zelfscan** wordt verwijderd **{ZELFSCAN_RETENTION_MONTHS} maanden na de laatste wijziging**.\n"
    "- **Wat blijft bij de samenwerking:** een sessie is een ronde van een samenwerking. Van een ronde "
    "blijven na het verwijderen alleen de groepscijfers die ook de zaal en de raad zagen (per gemeente en "
    "voor de hele groep, kleine groepen weggelaten), zodat een volgende ronde kan laten zien wat er "
    "veranderd is. Daarin staat niets van een persoon. Verwijdert de begeleider zelf de sessie, dan gaan "
    "ook die groepscijfers weg.\n"
    "- De app ruimt dit zelf op: bij het starten en daarna elke dag."
)

st.header("Laten verwijderen")
st.markdown(
    "- **Uw eigen antwoorden:** open uw persoonlijke link en kies onderaan **Mijn antwoorden "
    "verwijderen**. Bij een workshop kan dat zolang de sessie open is; daarna verwijdert de begeleider "
    "ze op uw verzoek.\n"
    "- **Een hele sessie:** de begeleider verwijdert op het Begeleidersscherm de sessie met alles wat "
    "erin zit (ter bevestiging typt hij of zij de naam van de sessie).\n"
    "- Heeft u uw persoonlijke link niet meer? Vraag de begeleider: die kan de hele sessie verwijderen. "
    "Een losse deelnemer terugvinden kan niet, omdat de app geen namen kent."
)
privacy.footer()
