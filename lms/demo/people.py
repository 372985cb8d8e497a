"""Who lives in the demo: the three accounts whose sign-ins are printed, and a cohort of
made-up NHS and social care staff at different points of the course.

Every address is on a reserved domain (example.org and its subdomains never deliver), and
every profile says the person is made up. Steps are named by identity (module slug, step
slug), never by number, so renumbering the course moves nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "demo password 2026"  # shown on screen: for a local demo only
DOMAIN = "demo.example.org"
COHORT_NAME = "Demo cohort: Ward and community leaders"
MARK = "Made-up person in the demo data."
COHORT_DAYS = 46  # the cohort began this many days before the demo was made (before anyone joined)

M1 = "why-compassion-matters"
M2 = "what-compassionate-leadership-is"
M3 = "cultures-and-collective-leadership"
M4 = "teams-and-boundaries"
M5 = "building-compassionate-cultures"


@dataclass(frozen=True)
class DemoPerson:
    role: str
    email: str
    password: str
    name: str


PEOPLE = (
    DemoPerson("learner", "learner@example.org", PASSWORD, "Sam Learner"),
    DemoPerson("facilitator", "facilitator@example.org", PASSWORD, "Alex Facilitator"),
    DemoPerson("admin", "admin@example.org", PASSWORD, "Jo Admin"),
)


@dataclass(frozen=True)
class Journey:
    """One learner's way through the course: who they are, when they joined and were last
    active (days before the demo was made), and where they are.

    `at` is the step they are on (every step before it done), or None: the whole course
    done, the final test passed and the certificate claimed. `share` stands in for `at`
    on a course without that step (the small course the tests use).
    """

    key: str
    name: str
    job: str
    joined_days: float
    last_days: float
    at: tuple[str, str] | None = None
    share: float = 1.0
    outlook: float = 3.5  # how they tend to rate themselves and their team, 1 to 5
    quiz_slips: int = 0  # questions each quiz they answer wrongly at first
    test_tries: int = 1  # attempts at the final test; only the last passes
    address: str | None = None  # the printed learner's, from before the crowd came

    @property
    def email(self) -> str:
        return self.address or f"{self.key}@{DOMAIN}"

    @property
    def finished(self) -> bool:
        return self.at is None

    @property
    def bio(self) -> str:
        return f"{MARK} {self.job}"


# The learner whose sign-in is printed: through module 1, not yet at the self-assessment in 2.5,
# so whoever signs in as Sam finds replies, likes and a highlight waiting, and the cohort's
# figures beside their own answers once they take it.
SAM = Journey(
    "sam",
    "Sam Learner",
    "Nurse in charge on a medical ward.",
    12,
    2,
    (M2, "my-compassionate-leadership"),
    0.3,
    3.5,
    address=PEOPLE[0].email,
)

CROWD = (
    # Finished, with certificates.
    Journey("grace.okafor", "Grace Okafor", "Ward sister on a surgical ward.", 41, 4, outlook=4.1),
    Journey("tom.hughes", "Tom Hughes", "Registered manager of a care home.", 40, 6, outlook=3.4, test_tries=2),
    Journey("priya.nair", "Priya Nair", "District nurse team leader.", 38, 3, outlook=3.9, quiz_slips=1),
    Journey("megan.price", "Megan Price", "Practice manager in a GP surgery.", 36, 9, outlook=3.1, quiz_slips=1),
    # Part-way, and active this week.
    Journey(
        "daniel.evans",
        "Daniel Evans",
        "Community mental health nurse.",
        30,
        1,
        (M4, "systems-leadership"),
        0.7,
        2.7,
        1,
    ),
    Journey(
        "fatima.begum",
        "Fatima Begum",
        "Social worker in an adult social care team.",
        27,
        0.5,
        (M3, "reflection-your-part-in-the-culture"),
        0.6,
        3.0,
    ),
    Journey(
        "owen.morgan",
        "Owen Morgan",
        "Portering team supervisor in a hospital.",
        25,
        2,
        (M3, "collective-leadership"),
        0.5,
        2.4,
        1,
    ),
    Journey(
        "hannah.lewis",
        "Hannah Lewis",
        "Senior healthcare assistant on a rehabilitation ward.",
        20,
        3,
        (M2, "caring-to-change"),
        0.4,
        3.6,
    ),
    # Stalled: nothing for weeks.
    Journey(
        "rhys.jenkins",
        "Rhys Jenkins",
        "Pharmacy technician in a hospital dispensary.",
        45,
        26,
        (M2, "judiths-dilemma"),
        0.35,
        3.0,
        1,
    ),
    Journey(
        "sarah.whitfield",
        "Sarah Whitfield",
        "Deputy manager of a home care agency.",
        44,
        19,
        (M3, "staff-engagement"),
        0.45,
        2.6,
    ),
    Journey(
        "kwame.mensah",
        "Kwame Mensah",
        "Charge nurse in an emergency department.",
        43,
        33,
        (M1, "mid-staffordshire"),
        0.2,
        3.2,
    ),
    # Just started.
    Journey("lucy.barker", "Lucy Barker", "Final-year student nurse.", 1, 0.2, (M1, "staff-experience"), 0.05),
)
LEARNERS = (SAM, *CROWD)
FACILITATOR_BIO = f"{MARK} Facilitator of the demo cohort, and a former matron."
ADMIN_BIO = f"{MARK} Looks after the course and its people."


def demo_emails() -> set[str]:
    """Every address the demo gives an account (anyone else is a real user)."""
    return {p.email for p in PEOPLE} | {j.email for j in CROWD}
