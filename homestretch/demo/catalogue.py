"""What the demo agency is made of: cities and their pay markets, role families, skills, titles,
names and companies. Plain data and small lookups, no database and no randomness.

Every company, person and e-mail address here is invented. E-mail addresses use the reserved
example.com / example.org / example.net domains (RFC 2606) so that no demo message can reach anybody.

Pay bands are built from three small tables rather than typed out one by one:
``MARKETS`` (the yearly base band of a mid-level backend engineer in each city, in its currency),
``SENIORITY_FACTORS`` (by region: seniority spreads pay much more in India than in Europe) and the
family factor in ``ROLE_FAMILIES``. The figures are round and believable for 2025-2026, not survey data.
"""

from __future__ import annotations

from dataclasses import dataclass

from homestretch.pipeline.choices import ClientSize, Seniority

# ---------------------------------------------------------------------------------------------
# Cities and pay markets


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    currency: str
    region: str  # "eu", "uk", "us" or "in": the seniority spread and notice periods follow it
    utc_offset_minutes: int  # standard time; daylight saving is ignored on purpose (demo data)
    phone_prefix: str
    band_mid: tuple[int, int]  # yearly base of a mid-level backend engineer, local currency
    notice_days: tuple[int, ...]  # usual notice periods in this country


CITIES: tuple[City, ...] = (
    City("Berlin", "DE", "EUR", "eu", 60, "+49 30 5550", (62_000, 76_000), (30, 60, 90, 90)),
    City("Amsterdam", "NL", "EUR", "eu", 60, "+31 20 5550", (60_000, 75_000), (30, 30, 60)),
    City("Paris", "FR", "EUR", "eu", 60, "+33 1 5550", (52_000, 64_000), (30, 60, 90)),
    City("Madrid", "ES", "EUR", "eu", 60, "+34 91 5550", (40_000, 52_000), (15, 15, 30)),
    City("London", "GB", "GBP", "uk", 0, "+44 20 7946", (62_000, 80_000), (30, 30, 60, 90)),
    City("Manchester", "GB", "GBP", "uk", 0, "+44 161 496", (50_000, 62_000), (30, 30, 60)),
    City("New York", "US", "USD", "us", -300, "+1 212 555", (135_000, 170_000), (14, 14, 21)),
    City("Austin", "US", "USD", "us", -360, "+1 512 555", (120_000, 150_000), (14, 14, 21)),
    City("San Francisco", "US", "USD", "us", -480, "+1 415 555", (150_000, 190_000), (14, 14, 21)),
    City("Bangalore", "IN", "INR", "in", 330, "+91 80 5550", (1_600_000, 2_600_000), (30, 60, 90, 90)),
    City("Pune", "IN", "INR", "in", 330, "+91 20 5550", (1_300_000, 2_100_000), (30, 60, 90)),
)
CITY_BY_NAME: dict[str, City] = {city.name: city for city in CITIES}

SENIORITIES: tuple[str, ...] = tuple(Seniority.values)  # junior, mid, senior, lead, principal
SENIORITY_FACTORS: dict[str, dict[str, float]] = {
    "eu": {"junior": 0.70, "mid": 1.0, "senior": 1.30, "lead": 1.50, "principal": 1.75},
    "uk": {"junior": 0.70, "mid": 1.0, "senior": 1.32, "lead": 1.52, "principal": 1.80},
    "us": {"junior": 0.75, "mid": 1.0, "senior": 1.28, "lead": 1.45, "principal": 1.75},
    "in": {"junior": 0.45, "mid": 1.0, "senior": 1.75, "lead": 2.30, "principal": 3.00},
}
SENIORITY_WEIGHTS: tuple[int, ...] = (10, 30, 38, 14, 8)
YEARS_BY_SENIORITY: dict[str, tuple[int, int]] = {
    "junior": (0, 2), "mid": (3, 5), "senior": (5, 10), "lead": (8, 15), "principal": (12, 25),
}
# Amounts are rounded to this step so that bands read like real ones (INR bands move in lakhs).
ROUNDING: dict[str, int] = {"EUR": 1_000, "GBP": 1_000, "USD": 5_000, "INR": 100_000}
DAY_RATE_ROUNDING = 10
# A contractor's day rate is roughly the yearly base over 220 working days, plus the risk premium.
DAY_RATE_FACTOR = 1.6 / 220


# ---------------------------------------------------------------------------------------------
# Role families


@dataclass(frozen=True, slots=True)
class RoleFamily:
    key: str
    title: str  # "Backend Engineer"; management has its own titles
    factor: float  # pay relative to backend
    weight: int  # how often the agency is asked for it
    skills: tuple[str, ...]
    specialisms: tuple[str, ...]  # appended to some titles: "Senior Backend Engineer (Go)"


ROLE_FAMILIES: tuple[RoleFamily, ...] = (
    RoleFamily("backend", "Backend Engineer", 1.00, 22, (
        "Python", "Django", "Go", "Java", "Kotlin", "Spring Boot", "PostgreSQL", "Kafka", "gRPC",
        "REST APIs", "AWS", "Redis", "Microservices", "Node.js", "Rust",
    ), ("Python", "Go", "Java", "Kotlin", "Payments", "Platform APIs")),
    RoleFamily("frontend", "Frontend Engineer", 0.95, 14, (
        "TypeScript", "React", "Next.js", "Vue.js", "CSS", "Accessibility", "GraphQL", "Vite",
        "Testing Library", "Design systems", "Angular",
    ), ("React", "Vue.js", "Design Systems", "Web Performance")),
    RoleFamily("fullstack", "Full-Stack Engineer", 0.98, 14, (
        "TypeScript", "Node.js", "React", "Python", "PostgreSQL", "AWS", "GraphQL", "Ruby on Rails",
        "Django", "Docker",
    ), ("TypeScript", "Ruby on Rails", "Python/React")),
    RoleFamily("mobile", "Mobile Engineer", 1.00, 7, (
        "Swift", "SwiftUI", "Kotlin", "Jetpack Compose", "iOS", "Android", "React Native", "Flutter",
    ), ("iOS", "Android", "React Native", "Flutter")),
    RoleFamily("data", "Data Engineer", 1.05, 10, (
        "Python", "SQL", "Spark", "Airflow", "dbt", "Kafka", "Snowflake", "BigQuery", "Databricks",
        "Data modelling",
    ), ("Analytics", "Streaming", "Platform")),
    RoleFamily("ml", "Machine Learning Engineer", 1.15, 8, (
        "Python", "PyTorch", "TensorFlow", "MLOps", "NLP", "LLMs", "scikit-learn", "Computer vision",
        "Recommender systems", "Kubeflow",
    ), ("NLP", "Computer Vision", "Recommendations", "LLM Applications")),
    RoleFamily("platform", "Platform Engineer", 1.05, 11, (
        "Kubernetes", "Terraform", "AWS", "GCP", "Azure", "Linux", "Prometheus", "CI/CD", "Go",
        "Observability", "Helm",
    ), ("SRE", "DevOps", "Cloud Infrastructure", "Developer Experience")),
    RoleFamily("security", "Security Engineer", 1.10, 5, (
        "Application security", "Penetration testing", "SIEM", "IAM", "Cloud security",
        "Threat modelling", "Incident response", "SOC 2",
    ), ("AppSec", "Cloud Security", "Detection & Response")),
    RoleFamily("qa", "QA Engineer", 0.82, 5, (
        "Test automation", "Playwright", "Cypress", "Selenium", "Java", "API testing", "Performance testing",
    ), ("Automation", "Mobile")),
    RoleFamily("management", "Engineering Manager", 1.20, 4, (
        "People leadership", "Hiring", "Agile delivery", "Architecture", "Stakeholder management",
        "Coaching", "Roadmapping",
    ), ("Payments", "Platform", "Growth", "Data")),
)
FAMILY_BY_KEY: dict[str, RoleFamily] = {family.key: family for family in ROLE_FAMILIES}
SENIORITY_PREFIX: dict[str, str] = {
    "junior": "Junior ", "mid": "", "senior": "Senior ", "lead": "Lead ", "principal": "Principal ",
}
MANAGEMENT_TITLES: dict[str, tuple[str, ...]] = {
    "lead": ("Engineering Manager", "Engineering Team Lead"),
    "principal": ("Head of Engineering", "Director of Engineering", "Senior Engineering Manager"),
}


def job_title(family: RoleFamily, seniority: str, specialism: str | None) -> str:
    if family.key == "management":
        titles = MANAGEMENT_TITLES.get(seniority, MANAGEMENT_TITLES["lead"])
        title = titles[len(specialism or "") % len(titles)]
        return f"{title}, {specialism}" if specialism else title
    title = f"{SENIORITY_PREFIX[seniority]}{family.title}"
    return f"{title} ({specialism})" if specialism else title


def pay_band(family: RoleFamily, seniority: str, city: City) -> tuple[int, int]:
    """The yearly base band (min, max) for a role in a city, in the city's currency, rounded."""
    factor = family.factor * SENIORITY_FACTORS[city.region][seniority]
    step = ROUNDING[city.currency]
    low, high = city.band_mid
    band_min = round_to(low * factor, step)
    return band_min, max(round_to(high * factor, step), band_min + step)


def day_rate_band(family: RoleFamily, seniority: str, city: City) -> tuple[int, int]:
    low, high = pay_band(family, seniority, city)
    return (round_to(low * DAY_RATE_FACTOR, DAY_RATE_ROUNDING),
            round_to(high * DAY_RATE_FACTOR, DAY_RATE_ROUNDING))


def round_to(amount: float, step: int) -> int:
    return int(round(amount / step)) * step


# ---------------------------------------------------------------------------------------------
# Teams: each covers a few cities. The small agency has the first two of SMALL_TEAMS.


@dataclass(frozen=True, slots=True)
class TeamSpec:
    name: str
    cities: tuple[str, ...]


SMALL_TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("Europe", ("Berlin", "Amsterdam", "London", "Paris", "Madrid", "Manchester")),
    TeamSpec("Americas & India", ("New York", "San Francisco", "Austin", "Bangalore", "Pune")),
)
LARGE_TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("DACH & Benelux", ("Berlin", "Amsterdam", "London")),
    TeamSpec("France & Iberia", ("Paris", "Madrid")),
    TeamSpec("UK & Ireland", ("London", "Manchester")),
    TeamSpec("US East", ("New York",)),
    TeamSpec("US West", ("San Francisco",)),
    TeamSpec("US Central", ("Austin", "New York")),
    TeamSpec("India", ("Bangalore", "Pune")),
    TeamSpec("Berlin Engineering", ("Berlin",)),
    TeamSpec("London Fintech", ("London",)),
    TeamSpec("Bay Area Start-ups", ("San Francisco", "Austin")),
    TeamSpec("Bangalore Product", ("Bangalore",)),
    TeamSpec("Europe Remote", ("Amsterdam", "Madrid", "Berlin", "Paris")),
)


# ---------------------------------------------------------------------------------------------
# People. Diverse first and last names, combined freely; none refers to a real person.

FIRST_NAMES: tuple[str, ...] = tuple("""
    Aarav Abena Adaeze Adrian Agnieszka Ahmed Aiko Alejandro Alexei Amara Amelia Ana Anders Aneesh
    Anika Arjun Astrid Aylin Beatriz Benedikt Bilal Björn Bogdan Camille Carlos Carmen Chiara Chidi
    Chloe Clara Connor Daan Daniela Darius Deepa Diego Dimitri Divya Elena Elif Emeka Emil Emma Fatima
    Felix Femi Finn Freya Gabriel Giulia Hana Hannah Hiroshi Ibrahim Ines Ingrid Isabel Ishaan Ivan
    Jakob Jana Javier Jonas Julia Kai Karan Katarzyna Kavya Kemal Kenji Khadija Kwame Lars Laura Leila
    Lena Leon Liam Lina Lucas Luca Magdalena Malik Mariam Marta Mateo Maya Mehmet Mei Mia Mihai Mira
    Mohammed Nadia Naveen Nia Niamh Nikhil Nils Noah Nora Oksana Olivia Omar Oscar Pablo Paula Pedro
    Priya Rafael Rahul Rania Ravi Rohan Rosa Ruth Saanvi Samir Sana Santiago Sara Sebastian Selin
    Shreya Simone Sofia Soren Tariq Teresa Thabo Theo Tomas Vikram Wei Yara Yusuf Zainab Zoe
""".split())
LAST_NAMES: tuple[str, ...] = tuple("""
    Abara Acosta Adeyemi Ahmadi Albrecht Alves Andersen Banerjee Bauer Becker Bianchi Brennan Castillo
    Chandra Chen Costa Dąbrowski Das Delgado Dubois Eriksen Fernandes Fischer Fontaine Gallagher García
    Ghosh Gonzalez Gupta Haddad Hansen Hartmann Hoffmann Horvat Ibáñez Iyer Jansen Jensen Kamau Kapoor
    Kaur Keller Khan Kim Kowalski Kraus Krishnan Kumar Lambert Larsen Laurent Lehmann Lindqvist Lopez
    Mahmoud Malik Marino Martin Mehta Meyer Moreau Müller Murphy Nair Nakamura Nguyen Novak Nowak
    O'Brien Okafor Okonkwo Olsen Ortega Osei Owusu Park Patel Peeters Petrov Pillai Popescu Quinn Rao
    Reddy Reyes Ricci Richter Rossi Roy Santos Schmidt Schneider Schulz Sharma Silva Singh Smit
    Sokolova Suzuki Tanaka Thomas Torres Van Dijk Vasquez Verma Visser Vogel Wagner Walsh Weber Wójcik
    Yamamoto Yilmaz Zhang Zimmermann
""".split())

# Recruiters with fixed names, so that the demo accounts read the same in every data set.
DEMO_RECRUITER = ("Robin", "Hartmann", "recruiter@example.com")
DEMO_ADMIN = ("Sam", "Okafor", "admin@example.com")
DEMO_VIEWER = ("Jordan", "Blake", "viewer@example.com")

HIRING_MANAGER_TITLES: tuple[str, ...] = (
    "CTO", "VP Engineering", "Head of Engineering", "Engineering Manager", "Director of Engineering",
    "Head of Data", "Head of Platform", "Head of Product Engineering", "Tech Lead", "Head of Security",
)
CANDIDATE_EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")


# ---------------------------------------------------------------------------------------------
# Companies: our clients, the candidates' employers and the companies that compete for them.


@dataclass(frozen=True, slots=True)
class Industry:
    name: str
    suffixes: tuple[str, ...]
    weight: int


INDUSTRIES: tuple[Industry, ...] = (
    Industry("Fintech", ("Payments", "Pay", "Capital", "Ledger", "Finance"), 16),
    Industry("Software", ("Software", "Cloud", "Labs", "Systems", "Tech"), 18),
    Industry("E-commerce", ("Commerce", "Market", "Retail", "Shop"), 10),
    Industry("Healthtech", ("Health", "Care", "Medical", "Bio"), 8),
    Industry("Mobility", ("Mobility", "Fleet", "Transit", "Motors"), 6),
    Industry("Logistics", ("Logistics", "Freight", "Cargo"), 6),
    Industry("Insurance", ("Insurance", "Assurance", "Risk"), 6),
    Industry("Media", ("Media", "Studios", "Audio"), 5),
    Industry("Gaming", ("Games", "Interactive", "Play"), 4),
    Industry("Energy", ("Energy", "Grid", "Solar", "Power"), 5),
    Industry("Cybersecurity", ("Security", "Shield", "Defence"), 5),
    Industry("AI", ("AI", "Analytics", "Intelligence", "Data"), 7),
    Industry("Travel", ("Travel", "Trips", "Stays"), 4),
)
COMPANY_WORDS: tuple[str, ...] = tuple("""
    Northwind Bluefin Kestrel Lumen Quarry Tidewater Copperleaf Brightline Halcyon Ironbark Juniper
    Meridian Nimbus Orchard Pinecrest Quillon Redwood Saltmarsh Silverfern Skylark Stonebridge Sunstone
    Thistle Umber Vantage Wayfarer Wildflower Yarrow Zephyr Alder Basalt Cedarline Driftwood Emberly
    Fjordlight Granite Harbourview Indigo Kelpie Larkspur Marigold Nettle Obsidian Palisade Riverbend
    Sablewood Tamarind Upland Verdant Willowmere Arcadia Beacon Cobalt Dovetail Evergreen Foxglove
    Glasshouse Heron Inkwell Jasper Kingfisher Lodestar Moonrise Northstar Oakridge Paragon Quartz
""".split())
CLIENT_SIZE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (ClientSize.STARTUP, 28), (ClientSize.SMALL, 30), (ClientSize.MEDIUM, 26), (ClientSize.LARGE, 16),
)

# Where candidates work today, and the companies that interview them beside our clients.
EMPLOYERS: tuple[str, ...] = (
    "Contoso", "Fabrikam", "Northwind Traders", "Tailspin Toys", "Wide World Importers", "Litware",
    "Adventure Works", "Proseware", "Fourth Coffee", "Globex", "Initech", "Umbrella Systems",
    "Vandelay Industries", "Soylent Digital", "Tyrell Analytics", "Massive Dynamic", "Yoyodyne",
    "Acme Consulting", "Monarch Insurance", "Sirius Telecom", "Blue Sun Mobility", "Genco Data",
    "Albion Bank IT", "Baltic Freight Systems", "Canal Street Media", "Danube Energy", "Elbe Logistics",
    "Fenwick Retail Group", "Garnet Telecom", "Hollis & Reed Consulting", "Isar Automotive Software",
    "Jura Insurance", "Keystone Public Services IT", "Loire Travel Group", "Mersey Health Trust IT",
    "Neva Payments", "Oder Manufacturing Digital", "Pennine Utilities", "Rhine Capital Markets",
    "Seine Publishing", "Thames Water Tech", "Ural Mining Software", "Vistula Bank", "Weser Shipping",
    "Yarra Outsourcing", "Zuiderzee Telecom", "Cascade Outsourcing", "Deccan Software Services",
    "Konkan IT Services", "Malabar Systems", "Nilgiri Infotech", "Hudson Brokerage Tech",
    "Lone Star Health IT", "Golden Gate Retail Digital", "Midtown Ad Tech", "Bayside Insurance Systems",
)
COMPETITORS: tuple[str, ...] = (
    "Cloudberry", "Fintrail", "Shopwise", "Medlyte", "Routely", "Paylane", "Datacove", "Streamforge",
    "Brickbase", "Vaultline", "Quantive", "Heliotrope AI", "Marketmesh", "Parcelhub", "Carebridge",
    "Tripwell", "Gridwise Energy", "Insurely", "Playforge Studios", "Secureloop", "Modulus Cloud",
    "Orbital Payments", "Lattice Health", "Nomad Mobility", "Ferrous Labs", "Tandem Bank", "Kitebird",
    "Arcturus Data", "Bramble Commerce", "Causeway Software", "Deltawave", "Everbright Analytics",
    "Flint & Steel Games", "Glide Freight", "Hyperloop Retail", "Ivy Insurance Tech", "Jetstream AI",
)

CURRENT_TITLE_BY_SENIORITY: dict[str, str] = {
    "junior": "Graduate", "mid": "", "senior": "", "lead": "Senior ", "principal": "Lead ",
}

PERKS: tuple[str, ...] = (
    "Learning budget of {learning} a year", "30 days of holiday", "Stock options", "Private health insurance",
    "Public transport ticket", "Home office budget", "Four weeks of work from anywhere", "Gym membership",
    "Conference budget", "Company pension with matching", "Parental leave above the legal minimum",
    "Sabbatical after four years", "New laptop of your choice", "Bike leasing", "Meal vouchers",
)
MUST_HAVES: tuple[str, ...] = (
    "At least {remote} remote days a week", "No on-call rota", "A modern stack, no legacy monolith",
    "A real learning budget", "The senior title", "Equity or a bonus", "A team lead role within a year",
    "Flexible hours", "Less than 45 minutes of commute", "A four-day week option",
    "Working on the product, not maintenance", "Conference speaking encouraged", "A clear promotion path",
    "A start date after the bonus pay-out", "Paid relocation", "Open-source time",
)
MOTIVES: tuple[str, ...] = (
    "growth into a lead role", "more remote days", "a better salary", "a more modern stack",
    "a product with real users", "a shorter commute", "a calmer team after a reorg",
    "a mission they care about",
    "learning a new domain", "more ownership", "leaving a failing start-up", "stability after two start-ups",
)
