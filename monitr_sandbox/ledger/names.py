"""Dutch-language name material for sandbox relations, dimensions and projects (NL and Flanders)."""

from __future__ import annotations

SURNAMES = (
    "De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "De Boer", "Peeters",
    "Maes", "Claes", "Willems", "Goossens", "Wouters", "Dekker", "Brouwer", "Van Dijk", "Hendriks",
    "Vermeulen", "Van den Berg", "Lambrecht", "Dubois", "Kok", "Vos",
)
PLACES = (
    "Utrecht", "Gouda", "Zwolle", "Leiden", "Haarlem", "Breda", "Gent", "Brugge", "Leuven",
    "Mechelen", "Hasselt", "Antwerpen", "Amersfoort", "Deventer", "Delft", "Aalst",
)
CUSTOMER_KINDS = (
    "Hotel", "Restaurant", "Supermarkt", "Cafe", "Lunchroom", "Catering", "Zorgcentrum",
    "Kantoorpand", "Sportcentrum", "Kinderopvang", "Bedrijfskantine", "Delicatessen",
)
SUPPLIER_KINDS = {
    "cost_of_goods": ("Groothandel", "Meelfabriek", "Zuivelhandel", "Drankenhandel"),
    "energy": ("Energie", "Netbeheer"),
    "maintenance": ("Installatiebedrijf", "Onderhoudsdienst", "Schildersbedrijf"),
    "other_costs": ("Accountantskantoor", "Drukkerij", "Verzekeringen", "ICT Diensten"),
    "rent": ("Vastgoedbeheer",),
    "investment": ("Machinehandel", "Bouwbedrijf"),
}
SALES_CENTRE, PRODUCTION_CENTRE, OVERHEAD_CENTRE = "100", "200", "900"
COST_CENTRES = (
    ("100", "Verkoop"), ("200", "Productie"), ("300", "Logistiek"), ("400", "Horeca"),
    ("900", "Algemeen"),
)
COST_UNITS = (
    ("KD01", "Standaardassortiment"), ("KD02", "Premiumlijn"), ("KD03", "Maatwerk"),
    ("KD04", "Abonnementen"), ("KD05", "Onderhoudscontracten"),
)
PROJECTS = (
    "Renovatie verkoopruimte", "Nieuwe webwinkel", "Uitbreiding assortiment", "Energiebesparing",
    "Marketingcampagne voorjaar", "Verhuizing magazijn", "Certificering kwaliteit",
    "Samenwerking scholen",
)
EQUIPMENT = (
    "Oven", "Koelcel", "Bedrijfsbus", "Kassasysteem", "Deegmenger", "Vaatwasinstallatie",
    "Inrichting winkel", "Serverkast", "Heftruck",
)
BUILDINGS = ("Bedrijfspand", "Winkelpand", "Appartementencomplex", "Kantoorgebouw", "Loods")
