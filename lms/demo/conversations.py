"""What the demo's learners and facilitator say on the course's discussion steps.

Written for this course, in the voices of the made-up people in lms.demo.people. Each
thread is a comment and its replies, in the order they were posted; `after` is how many
hours after the comment before it a reply came (the author's own pace decides when a
thread starts). Authors are journey keys, or FACILITATOR.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.demo.people import M1, M2, M3, M4, M5

FACILITATOR = "facilitator"

# The first discussion step of any course gets this exchange (the small course the tests use too).
OPENING = (
    "Welcome to the discussion. There are no wrong answers here: share what you have *seen*, and be kind to each other."
)
OPENING_REPLY = (
    "Thank you. On our unit the best example is the nurse in charge who asks every new starter how they are."
)


@dataclass(frozen=True)
class Say:
    author: str
    text: str
    after: float = 6  # hours after the comment before it (a reply)
    liked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thread:
    step: tuple[str, str]
    comments: tuple[Say, ...]  # the first opens the thread; the rest reply to it
    highlighted: bool = False  # the facilitator highlights the opening comment


@dataclass(frozen=True)
class Complaint:
    """A reply someone reports: it waits in the moderation queue."""

    step: tuple[str, str]
    opener: str  # whose thread it is posted in
    say: Say
    reporter: str
    reason: str
    details: str


THREADS = (
    Thread(
        (M1, "most-important-intervention"),
        (
            Say(
                "grace.okafor",
                "Yes. Last winter we had a man on our ward who refused every dressing change until one of our "
                "newer nurses sat down and asked what frightened him. It was the smell, and what it meant to him. "
                "Twenty minutes of listening did more than a week of us being efficient.",
                liked_by=("tom.hughes", "priya.nair", "sam", "owen.morgan", "hannah.lewis"),
            ),
            Say(
                "kwame.mensah",
                "I'd say no, or not first. In the emergency department the most compassionate thing we can do "
                "for someone with a bleed is to be fast and skilled. Kindness comes a close second.",
                after=5,
                liked_by=("megan.price",),
            ),
            Say(
                "grace.okafor",
                "That's fair, Kwame. I wonder if speed and skill delivered by someone who notices you are "
                "terrified is still the compassionate version, though?",
                after=9,
                liked_by=("kwame.mensah", "priya.nair"),
            ),
            Say(
                FACILITATOR,
                "A really useful exchange. Notice that you are both describing attention: Kwame to what the body "
                "needs right now, Grace to what the person fears. Module 2 gives that a name.",
                after=4,
                liked_by=("grace.okafor", "kwame.mensah"),
            ),
            Say(
                "priya.nair",
                "In district nursing we often are the only visit someone has all day. Whether we rush or sit for "
                "two minutes is the whole difference to how they feel about their care.",
                after=20,
            ),
        ),
        highlighted=True,
    ),
    Thread(
        (M1, "most-important-intervention"),
        (
            Say(
                "sam",
                "No, not on its own. A kind ward with too few staff still leaves people waiting for pain relief. "
                "For me compassion has to include fighting for the staffing, not only the bedside manner.",
                liked_by=("tom.hughes", "megan.price", "fatima.begum"),
            ),
            Say(
                "tom.hughes",
                "Agree with this. In a care home the kindest carers burn out fastest when the rota is thin. "
                "Looking after them is part of looking after the residents.",
                after=7,
                liked_by=("sam",),
            ),
            Say(
                "megan.price",
                "From the practice side: our reception team get the anger when appointments run out. Compassion "
                "for them is making sure they are not left alone on the phones at 8am.",
                after=30,
            ),
            Say(
                FACILITATOR,
                "Sam, you have put your finger on something the course comes back to: compassionate leadership is "
                "about the conditions people work in as well as how they speak to each other.",
                after=3,
            ),
        ),
        highlighted=True,
    ),
    Thread(
        (M1, "most-important-intervention"),
        (
            Say(
                "owen.morgan",
                "Yes. I'm a porter, so I'm not clinical, but I take people to theatre every day. The ones who are "
                "calmest are the ones someone has spoken to properly before they get on my trolley.",
                liked_by=("grace.okafor", "hannah.lewis", "fatima.begum", "daniel.evans"),
            ),
            Say(
                "hannah.lewis",
                "Owen, you probably don't realise how much you do for them on that journey. Our patients often "
                "mention the porter who chatted to them.",
                after=10,
                liked_by=("owen.morgan",),
            ),
            Say(
                "fatima.begum",
                "Same in social care. People remember who treated them like a person long after they forget "
                "what the assessment said.",
                after=26,
            ),
        ),
    ),
    Thread(
        (M1, "most-important-intervention"),
        (
            Say(
                "rhys.jenkins",
                "Yes, mostly. Even in the dispensary, a patient waiting for discharge medicines notices whether "
                "we explain the delay or just say 'it's coming'.",
            ),
        ),
    ),
    Thread(
        (M2, "judiths-dilemma"),
        (
            Say(
                "tom.hughes",
                "I'd keep the promise to the staff. If I cancel on 100 people they will remember it for years, "
                "and the regulator will still want the same figures next week.",
                liked_by=("daniel.evans", "sarah.whitfield", "grace.okafor"),
            ),
            Say(
                "megan.price",
                "I'm not so sure. When our practice was under review, missing one meeting would have looked "
                "like we didn't take it seriously. I think I'd have gone and sent a deputy to the staff.",
                after=8,
                liked_by=("tom.hughes",),
            ),
            Say(
                "daniel.evans",
                "Reading what Judith actually did, I like that she refused to see it as either/or. Inviting the "
                "regulator to listen to staff is brave.",
                after=40,
                liked_by=("tom.hughes", "megan.price"),
            ),
            Say(
                FACILITATOR,
                "Megan, thank you for the honest answer: it is the choice many of us would make under pressure. "
                "What would it take for you to feel able to do what Judith did?",
                after=5,
            ),
            Say(
                "megan.price",
                "Probably knowing my own manager would back me. Which is a leadership point in itself.",
                after=11,
                liked_by=("tom.hughes", "daniel.evans", "priya.nair"),
            ),
        ),
        highlighted=True,
    ),
    Thread(
        (M2, "judiths-dilemma"),
        (
            Say(
                "fatima.begum",
                "Before reading on I chose the regulator, because our service was also in special measures and "
                "the stakes felt too high. Now I'm less sure.",
                liked_by=("sarah.whitfield",),
            ),
            Say(
                "priya.nair",
                "I picked the regulator too, at first. What changed my mind was thinking about who actually "
                "holds the answers. It's usually the people doing the work.",
                after=14,
            ),
            Say(
                "sarah.whitfield",
                "We had something similar at the agency: a commissioner visit on the day of our carers' "
                "awards. My manager moved the visit and the carers still talk about it.",
                after=22,
                liked_by=("fatima.begum", "priya.nair"),
            ),
        ),
    ),
    Thread(
        (M3, "sustaining-the-culture"),
        (
            Say(
                "priya.nair",
                "Continuous learning. We started a ten-minute huddle on Friday afternoons where anyone can bring "
                "one thing that went well and one that didn't. The hard part was keeping it going when I was "
                "on leave, so now a different person chairs it each week.",
                liked_by=("daniel.evans", "grace.okafor", "fatima.begum", "megan.price"),
            ),
            Say(
                "daniel.evans",
                "Rotating the chair is a great idea. Ours stopped the month our team leader left, which says a "
                "lot about whose meeting it was.",
                after=9,
                liked_by=("priya.nair",),
            ),
            Say(
                FACILITATOR,
                "This is collective leadership in practice: the huddle belongs to the team, not to one person. "
                "Daniel, could you restart yours that way?",
                after=4,
                liked_by=("priya.nair", "daniel.evans"),
            ),
            Say(
                "daniel.evans",
                "I'm going to suggest it at Monday's team meeting. I'll report back.",
                after=6,
            ),
        ),
        highlighted=True,
    ),
    Thread(
        (M3, "sustaining-the-culture"),
        (
            Say(
                "fatima.begum",
                "Good people management. Our supervision sessions had turned into caseload checks. I've asked "
                "my manager if the first ten minutes can be about how we are, not what we've done.",
                liked_by=("grace.okafor", "tom.hughes"),
            ),
            Say(
                "grace.okafor",
                "We did this on the ward for band 5 appraisals and it changed the tone completely. Good luck with it.",
                after=16,
            ),
            Say(
                "tom.hughes",
                "One tip: put it in writing as part of the supervision template, otherwise the caseload creeps "
                "back in when everyone's busy.",
                after=5,
                liked_by=("fatima.begum",),
            ),
        ),
    ),
    Thread(
        (M4, "a-boundary-you-work-across"),
        (
            Say(
                "tom.hughes",
                "Hospital discharge into our care home. What helps: the one discharge nurse who always rings "
                "before sending someone back. What gets in the way: arriving at 9pm with no medicines chart. "
                "One thing I could do: invite the ward teams to visit us so we are people, not a fax number.",
                liked_by=("grace.okafor", "megan.price", "priya.nair"),
            ),
            Say(
                "grace.okafor",
                "From the ward side, late discharges are often about transport we don't control. But you're "
                "right, a phone call costs five minutes. I'm going to suggest it to my team.",
                after=12,
                liked_by=("tom.hughes",),
            ),
            Say(
                FACILITATOR,
                "Tom and Grace, this is a boundary seen from both sides in one thread. Which of the five "
                "conditions would a visit between your teams build first?",
                after=6,
            ),
            Say(
                "tom.hughes",
                "Frequent personal contact, definitely. Once you've had a cup of tea with someone it's much "
                "harder to send them a patient with no notes.",
                after=8,
                liked_by=("grace.okafor", "priya.nair"),
            ),
        ),
    ),
    Thread(
        (M4, "a-boundary-you-work-across"),
        (
            Say(
                "megan.price",
                "The boundary between our practice and the community pharmacy next door. We share patients "
                "but never talk except when something has gone wrong. I'm going to ask for a monthly "
                "catch-up with their manager.",
                liked_by=("priya.nair",),
            ),
            Say(
                "priya.nair",
                "Worth it. We set one up with our local surgery and the number of urgent calls about "
                "dressings dropped within two months.",
                after=18,
            ),
        ),
    ),
    Thread(
        (M5, "share-your-commitment"),
        (
            Say(
                "grace.okafor",
                "At every handover I will ask one person how they are doing, and wait for a real answer. The "
                "hardest part will be the days when we are three nurses short and handover is a sprint.",
                liked_by=("priya.nair", "tom.hughes", "megan.price"),
            ),
            Say(
                "priya.nair",
                "On the sprint days, maybe ask at the end of the shift instead? Same question, just later.",
                after=7,
                liked_by=("grace.okafor",),
            ),
            Say(
                FACILITATOR,
                "A small, specific commitment like this is the kind that lasts. Grace, would it help to tell "
                "your team you're doing it, so they can hold you to it?",
                after=5,
            ),
            Say("grace.okafor", "Yes, I'll mention it at our next team meeting.", after=10),
        ),
        highlighted=True,
    ),
    Thread(
        (M5, "share-your-commitment"),
        (
            Say(
                "tom.hughes",
                "A monthly listening hour for our night staff, at 7am before they go home. They are the team "
                "who see least of me and have the most to tell me.",
                liked_by=("megan.price", "grace.okafor"),
            ),
            Say(
                "megan.price",
                "Love this. Bring breakfast, they'll come.",
                after=9,
                liked_by=("tom.hughes",),
            ),
        ),
    ),
)

COMPLAINT = Complaint(
    (M4, "a-boundary-you-work-across"),
    "tom.hughes",
    Say(
        "megan.price",
        "To be honest the real problem is Karen, the discharge coordinator on Ward 7 at the General. Her "
        "discharge letters reach us days late or not at all, and she clearly couldn't care less.",
        after=30,
    ),
    "priya.nair",
    "unkind",
    "This names a member of staff and her ward, and it is unkind about her.",
)

# Who follows whom (follower, followed), and who keeps which thread's opening comment.
FOLLOWS = (
    ("sam", "grace.okafor"),
    ("sam", "tom.hughes"),
    ("daniel.evans", "priya.nair"),
    ("hannah.lewis", "owen.morgan"),
    ("fatima.begum", "tom.hughes"),
)
BOOKMARKS = (("sam", (M1, "most-important-intervention"), "grace.okafor"),)
