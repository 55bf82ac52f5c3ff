"""The demo organization's course text, used by ``seed_demo``.

Northwind Analytics (see DEMO.md) sells Northwind Insight, a retail analytics
platform, to mid-market retailers. This module holds the lesson text for its
onboarding path, "First 30 days", and for the two courses its campaigns assign:
the monthly product update and the yearly data privacy refresher.

It is plain data with no Django imports. Each lesson body is a list of
``(type, value)`` blocks, where type is one of:

- ``"heading"``: a short section heading (str);
- ``"paragraph"``: rich-text HTML (str) using only ``<p>``, ``<strong>``,
  ``<em>``, ``<ul>``, ``<ol>`` and ``<li>``;
- ``"callout"``: a dict ``{"kind": "tip" | "warning", "text": str}``;
- ``"video"``: a title (str); a placeholder that the seeding code replaces with a
  generated video. Only the first lesson of "Demo skills" has one.
"""

from __future__ import annotations

from dataclasses import dataclass

Block = tuple[str, object]


@dataclass(frozen=True)
class DemoLesson:
    """One lesson: its title and its body blocks, in order."""

    title: str
    body: list[Block]


@dataclass(frozen=True)
class DemoCourse:
    """One course: a short summary, an estimated duration and its lessons."""

    title: str
    summary: str
    estimated_minutes: int
    lessons: list[DemoLesson]


ONBOARDING_PATH_TITLE = "First 30 days"

_NORTHWIND_AND_ITS_PRODUCT: DemoCourse = DemoCourse(
    title="Northwind and its product",
    summary=(
        "Why mid-market retailers buy from Northwind Analytics, what Northwind Insight "
        "does, and how we win against spreadsheets, in-house teams and enterprise "
        "suites."
    ),
    estimated_minutes=20,
    lessons=[
        DemoLesson(
            title="Why retailers buy from Northwind",
            body=[
                ("heading", "The problem we solve"),
                (
                    "paragraph",
                    (
                        "<p>A retailer with 20 to 500 stores runs on three systems "
                        "that rarely talk to each other: the <strong>point-of-sale "
                        "(POS)</strong> system in the stores, the <strong>e-commerce "
                        "platform</strong>, and the <strong>inventory or ERP "
                        "system</strong> that knows what is on hand and on order. Each "
                        "one produces a report, and each report tells a slightly "
                        "different story.</p>"
                        "<p>The result is predictable. Merchants plan buys from last "
                        "year's spreadsheet, so hot items stock out in some stores "
                        "while the same items sit unsold in others. Markdowns are "
                        "taken late and deep because nobody saw the slow seller until "
                        "week ten. Finance closes the month and only then learns that "
                        "gross margin slipped two points.</p>"
                    ),
                ),
                ("heading", "What Northwind does about it"),
                (
                    "paragraph",
                    (
                        "<p>Northwind Analytics was founded to give mid-market "
                        "retailers the kind of analytics that the largest chains build "
                        "with fifty-person data teams. Our platform, <strong>Northwind "
                        "Insight</strong>, unifies POS, e-commerce and inventory data "
                        "into one model of the business, then puts three things on top "
                        "of it: demand forecasting, store performance dashboards and "
                        "markdown optimization.</p>"
                        "<p>We sell outcomes, not charts. The three outcomes customers "
                        "buy us for are:</p>"
                    ),
                ),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li><strong>Fewer stockouts and less excess "
                        "inventory</strong>, because buys and allocations follow a "
                        "forecast at the SKU, store and week level.</li>"
                        "<li><strong>Higher gross margin</strong>, because markdowns "
                        "are taken earlier, shallower and only where they are "
                        "needed.</li>"
                        "<li><strong>Faster, shared decisions</strong>, because "
                        "merchandising, e-commerce, finance and store operations "
                        "finally look at the same numbers every Monday morning.</li>"
                        "</ul>"
                    ),
                ),
                ("heading", "The one-sentence pitch"),
                (
                    "paragraph",
                    (
                        "<p>Learn this and say it in your own words: <em>“Northwind "
                        "Insight brings your store, online and inventory data together "
                        "so your team can forecast demand, see which stores and "
                        "products are winning, and take the right markdowns at the "
                        "right time, without building a data team to do it.”</em></p>"
                        "<p>Notice what the sentence does not say. It does not mention "
                        "data warehouses, machine learning or dashboards by name. "
                        "Buyers care about inventory, margin and time; the technology "
                        "is how we get there, and you will explain it when they "
                        "ask.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "When a prospect asks what Northwind does, answer with the "
                            "outcome first and the product second. “We help retailers "
                            "like you cut markdown spend” earns a follow-up question; "
                            "“we are an analytics platform” rarely does."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Northwind Insight: a tour of the platform",
            body=[
                ("heading", "The data foundation"),
                (
                    "paragraph",
                    (
                        "<p>Everything starts with <strong>Insight Connect</strong>, "
                        "our library of prebuilt connectors. We pull daily sales and "
                        "returns from the major POS systems, orders and sessions from "
                        "e-commerce platforms such as Adobe Commerce, BigCommerce and "
                        "Salesforce Commerce Cloud, and on-hand, on-order and cost "
                        "data from the inventory or ERP system. Connect cleans and "
                        "maps the data into one product hierarchy and one store list, "
                        "so a SKU means the same thing everywhere.</p>"
                        "<p>A typical customer is live on historical data in four to "
                        "six weeks. That number matters: most prospects have been "
                        "burned by a BI project that took nine months and still does "
                        "not reconcile with finance.</p>"
                    ),
                ),
                ("heading", "The three modules"),
                (
                    "paragraph",
                    (
                        "<ol>"
                        "<li><strong>Demand Forecasting.</strong> Weekly forecasts for "
                        "every SKU in every store and online, twelve to twenty-six "
                        "weeks ahead. The model accounts for seasonality, promotions, "
                        "price changes and local events, and planners can adjust it "
                        "with notes that the whole team sees.</li>"
                        "<li><strong>Store Performance.</strong> Dashboards that "
                        "compare each store against its own forecast and against "
                        "similar stores: sales, traffic conversion, units per "
                        "transaction, sell-through and inventory health. District "
                        "managers get a one-page view of the stores they own.</li>"
                        "<li><strong>Markdown Optimization.</strong> Recommends which "
                        "products to mark down, where, when and by how much to hit a "
                        "sell-through target by the end of the season while protecting "
                        "margin. Merchants approve or adjust each recommendation "
                        "before it goes to pricing.</li></ol>"
                    ),
                ),
                ("heading", "What customers typically see"),
                (
                    "paragraph",
                    (
                        "<p>Use these as ranges, never as promises. In their first "
                        "year, customers typically report a 15 to 25 percent reduction "
                        "in stockouts on key items, a 5 to 10 percent reduction in "
                        "markdown spend, and weekly reporting that takes minutes "
                        "instead of a day. Our reference customers include "
                        "<strong>Harbor &amp; Pine</strong>, a home goods chain with "
                        "85 stores, and <strong>Fieldline Outfitters</strong>, an "
                        "outdoor retailer with 140 stores and a fast-growing online "
                        "business.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "Never quote a customer result as a guarantee, and never "
                            "name a customer who is not on the approved reference "
                            "list. Check the list in the enablement hub before you "
                            "mention anyone by name."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="The competitive landscape",
            body=[
                ("heading", "Who we really compete with"),
                (
                    "paragraph",
                    (
                        "<p>In most deals, the biggest competitor is not another "
                        "vendor. It is the way the retailer already works. You will "
                        "meet three alternatives again and again, and each needs a "
                        "different conversation.</p>"
                    ),
                ),
                ("heading", "Spreadsheets plus a BI tool"),
                (
                    "paragraph",
                    (
                        "<p>Most prospects have an analyst or two who export data into "
                        "spreadsheets and publish dashboards in a BI tool. This is "
                        "cheap and familiar, and it works until the business grows. Do "
                        "not attack the BI tool; the customer chose it and probably "
                        "likes it. Instead, ask what it takes to produce the Monday "
                        "report, who reconciles the numbers, and whether anyone "
                        "forecasts demand at the store level. Position Northwind as "
                        "the retail model and the forecasts that BI alone cannot "
                        "provide. Insight can feed their BI tool, so they keep what "
                        "works.</p>"
                    ),
                ),
                ("heading", "An in-house data team"),
                (
                    "paragraph",
                    (
                        "<p>Some retailers plan to hire data engineers and a data "
                        "scientist to build this themselves. Respect the ambition, "
                        "then make the trade-off concrete: two or three specialists, a "
                        "cloud warehouse, twelve to eighteen months before the first "
                        "trustworthy forecast, and the risk that a key person leaves. "
                        "Position Northwind as the way to give that team a head start, "
                        "so they work on the problems unique to this business rather "
                        "than rebuilding connectors and a forecasting engine.</p>"
                    ),
                ),
                ("heading", "Big enterprise suites"),
                (
                    "paragraph",
                    (
                        "<p>Large planning and analytics suites are powerful and built "
                        "for retailers with thousands of stores. For a mid-market "
                        "retailer they usually mean long implementations, heavy "
                        "consulting fees and features nobody will use. Our strengths "
                        "here are time to value, a price that fits a mid-market "
                        "budget, and a product that merchants can run without a "
                        "systems integrator. Ask: <em>“How many of the features in "
                        "that suite will your team use in the first year, and who will "
                        "run it?”</em></p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Never criticize a competitor by name. Ask questions that "
                            "let the buyer discover the gap themselves; a conclusion "
                            "they reach on their own is far more persuasive than one "
                            "you hand them."
                        ),
                    },
                ),
            ],
        ),
    ],
)

_ICP_AND_PERSONAS: DemoCourse = DemoCourse(
    title="Ideal customer profile and personas",
    summary=(
        "Which retailers are a great fit for Northwind Insight, and the four people "
        "who usually decide whether they buy. Learn their goals, their pains and how "
        "to open a conversation with each."
    ),
    estimated_minutes=25,
    lessons=[
        DemoLesson(
            title="Our ideal customer profile",
            body=[
                ("heading", "Why the ICP matters"),
                (
                    "paragraph",
                    (
                        "<p>Your time is the scarcest resource you have. Our ideal "
                        "customer profile (ICP) describes the retailers who buy "
                        "fastest, go live smoothly and renew. Prospecting inside the "
                        "ICP means shorter sales cycles and happier customers; "
                        "prospecting outside it means long deals that stall at the "
                        "contract or churn in year two.</p>"
                    ),
                ),
                ("heading", "The profile"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li><strong>Size:</strong> 20 to 500 stores, usually between "
                        "$50 million and $1.5 billion in annual revenue.</li>"
                        "<li><strong>Segment:</strong> specialty retail with seasonal "
                        "or trend-driven assortments: apparel, footwear, sporting "
                        "goods, outdoor, home goods, beauty, toys and gifts.</li>"
                        "<li><strong>Channels:</strong> stores plus an e-commerce "
                        "business that makes up 10 to 40 percent of revenue and is "
                        "growing.</li>"
                        "<li><strong>Systems:</strong> a modern POS and e-commerce "
                        "platform we already connect to, and an inventory or ERP "
                        "system that can export daily.</li>"
                        "<li><strong>Team:</strong> a merchandising and planning team, "
                        "one or more BI analysts, and no dedicated data science "
                        "team.</li></ul>"
                    ),
                ),
                ("heading", "Buying triggers"),
                (
                    "paragraph",
                    (
                        "<p>A retailer that fits the profile is worth a call. A "
                        "retailer that fits the profile <em>and</em> shows a trigger "
                        "is worth a sequence this week. Look for:</p><ul>"
                        "<li>A new VP of Merchandising, Head of E-commerce or CFO in "
                        "the last six months.</li>"
                        "<li>Inventory write-downs, margin pressure or “elevated "
                        "markdowns” mentioned in results, press or job postings.</li>"
                        "<li>An e-commerce replatforming or a new POS rollout.</li>"
                        "<li>Store expansion, a new region or an acquisition of "
                        "another chain.</li>"
                        "<li>Job postings for a demand planner or a data engineer, a "
                        "sign they are trying to solve the problem by hiring.</li></ul>"
                    ),
                ),
                ("heading", "When to walk away"),
                (
                    "paragraph",
                    (
                        "<p>Disqualify politely and early if the retailer has fewer "
                        "than 20 stores, sells mostly fresh or perishable goods, "
                        "operates as a franchise without central access to store data, "
                        "or signed a multi-year enterprise planning suite in the last "
                        "twelve months. Log the reason in the CRM so marketing can "
                        "nurture them for later.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Before any first call, spend ten minutes checking store "
                            "count, channel mix, recent leadership changes and the "
                            "e-commerce platform. It is the fastest way to sound like "
                            "someone who understands their business."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Merchandising and e-commerce buyers",
            body=[
                (
                    "paragraph",
                    (
                        "<p>These two personas feel the pain most directly, and one of "
                        "them is usually your champion. The names are ours; use them "
                        "when we role-play and in call reviews.</p>"
                    ),
                ),
                ("heading", "Rachel, VP of Merchandising"),
                (
                    "paragraph",
                    (
                        "<p><strong>Who she is:</strong> Rachel owns the assortment, "
                        "the buy and the markdown budget. She reports to the CEO or "
                        "Chief Merchant and manages a team of buyers and planners.</p>"
                        "<p><strong>Goals:</strong> hit sell-through targets, grow "
                        "gross margin return on inventory (GMROI), and end the season "
                        "with clean inventory.</p>"
                        "<p><strong>Pains:</strong> her planners spend Mondays "
                        "stitching reports together; she finds out about slow sellers "
                        "too late; markdowns are decided on instinct and last year's "
                        "calendar; stores fight over allocation.</p>"
                        "<p><strong>How to open:</strong> <em>“Most merchandising "
                        "leaders we talk to know which items are slow by week ten, "
                        "when the only option left is a deep markdown. How early does "
                        "your team usually spot them?”</em></p>"
                    ),
                ),
                ("heading", "Marcus, Head of E-commerce"),
                (
                    "paragraph",
                    (
                        "<p><strong>Who he is:</strong> Marcus runs the online store, "
                        "digital marketing and often fulfillment from stores. He is "
                        "measured on online revenue growth and conversion.</p>"
                        "<p><strong>Goals:</strong> grow online sales, offer buy "
                        "online, pick up in store (BOPIS) without disappointing "
                        "customers, and prove that online drives store traffic rather "
                        "than stealing from it.</p>"
                        "<p><strong>Pains:</strong> online orders fail because store "
                        "inventory is wrong; the e-commerce data lives in a different "
                        "system from the stores; he cannot show the CEO the true "
                        "omnichannel picture.</p>"
                        "<p><strong>How to open:</strong> <em>“When a customer orders "
                        "online for pickup and the store can't find the item, what "
                        "does that cost you, and how often does it happen?”</em></p>"
                    ),
                ),
                ("heading", "Champions and evaluators"),
                (
                    "paragraph",
                    (
                        "<p>Rachel and Marcus rarely sign the contract alone, but they "
                        "are the people most likely to champion Northwind internally. "
                        "A real champion has influence, wants the change for their own "
                        "reasons, and will tell you things you could not learn "
                        "otherwise, such as who else has a say and what nearly killed "
                        "the last project.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Ask each persona what they will be measured on next "
                            "quarter. Tie every later conversation to that metric, and "
                            "you will stay relevant to them."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Finance and store operations buyers",
            body=[
                (
                    "paragraph",
                    (
                        "<p>Finance decides whether the deal is worth the money; store "
                        "operations decides whether it will actually be used in the "
                        "field. Ignore either and a deal that looked certain can stall "
                        "in the final week.</p>"
                    ),
                ),
                ("heading", "David, Chief Financial Officer"),
                (
                    "paragraph",
                    (
                        "<p><strong>Who he is:</strong> David is usually the economic "
                        "buyer. He approves anything above the department budgets and "
                        "owns the relationship with the board and lenders.</p>"
                        "<p><strong>Goals:</strong> protect gross margin, reduce "
                        "working capital tied up in inventory, and get forecasts he "
                        "can trust for cash planning.</p>"
                        "<p><strong>Pains:</strong> inventory write-downs that arrive "
                        "as surprises; three versions of the sales number; technology "
                        "projects that overrun and never show a return.</p>"
                        "<p><strong>How to open:</strong> <em>“If inventory dropped by "
                        "five percent with the same sales, what would that free up in "
                        "working capital for you this year?”</em> Talk in dollars, "
                        "payback period and risk. Skip the feature tour.</p>"
                    ),
                ),
                ("heading", "Andre, Director of Store Operations"),
                (
                    "paragraph",
                    (
                        "<p><strong>Who he is:</strong> Andre runs the store network "
                        "through regional and district managers. He cares about labor, "
                        "execution and the customer experience on the floor.</p>"
                        "<p><strong>Goals:</strong> lift sales per labor hour, bring "
                        "under-performing stores up to the level of their peers, and "
                        "spend less time in reporting calls.</p>"
                        "<p><strong>Pains:</strong> district managers get numbers a "
                        "week late; stores are blamed for stockouts caused by "
                        "allocation; every new head-office tool adds work for store "
                        "managers.</p>"
                        "<p><strong>How to open:</strong> <em>“How do your district "
                        "managers decide which stores to visit each week?”</em> Show "
                        "him the store comparison view and how little his team has to "
                        "do to use it.</p>"
                    ),
                ),
                ("heading", "Mapping the buying group"),
                (
                    "paragraph",
                    (
                        "<p>In a typical deal, the champion is Rachel or Marcus, the "
                        "economic buyer is David, and Andre is an influential user who "
                        "can quietly block adoption. IT joins later to review security "
                        "and data connections. By the end of discovery you should know "
                        "each person's name, role in the decision and personal win, "
                        "and have them recorded as contact roles on the "
                        "opportunity.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "A deal with only one contact is a deal at risk. If your "
                            "champion goes on leave or changes jobs, you lose the "
                            "opportunity with them, so build at least three "
                            "relationships before the proposal stage."
                        ),
                    },
                ),
            ],
        ),
    ],
)

_DISCOVERY_CALLS: DemoCourse = DemoCourse(
    title="Discovery calls",
    summary=(
        "How to run a discovery call that earns the right to demo: set the agenda, ask "
        "questions that uncover real pain, and qualify the deal with MEDDPICC."
    ),
    estimated_minutes=30,
    lessons=[
        DemoLesson(
            title="Structure of a great discovery call",
            body=[
                ("heading", "The purpose of discovery"),
                (
                    "paragraph",
                    (
                        "<p>Discovery is not a pitch with questions attached. Its job "
                        "is to find out whether there is a problem worth solving, what "
                        "it costs the retailer, and whether they are willing to act on "
                        "it. A good discovery call leaves both sides knowing more; a "
                        "great one ends with the buyer describing their problem better "
                        "than they could before the call.</p>"
                    ),
                ),
                ("heading", "A 30-minute call, minute by minute"),
                (
                    "paragraph",
                    (
                        "<ol>"
                        "<li><strong>Open and set the agenda (3 minutes).</strong> "
                        "Thank them, confirm the time, and agree what will happen.</li>"
                        "<li><strong>Their world (5 minutes).</strong> Role, team, "
                        "priorities this year, how they measure success.</li>"
                        "<li><strong>Current state and pain (12 minutes).</strong> How "
                        "things work today, where they break, and what that costs.</li>"
                        "<li><strong>Future state (5 minutes).</strong> What good "
                        "looks like and what would have to be true to get there.</li>"
                        "<li><strong>Summary and next step (5 minutes).</strong> Play "
                        "back what you heard and agree a dated next step.</li></ol>"
                    ),
                ),
                ("heading", "Setting the agenda"),
                (
                    "paragraph",
                    (
                        "<p>The opening minutes decide how the rest of the call goes. "
                        "Use an upfront contract: purpose, time, their agenda, the "
                        "possible outcomes. For example:</p>"
                        "<p><em>“Thanks for making the time, Rachel. We have thirty "
                        "minutes, does that still work? I'd like to understand how "
                        "your team plans and marks down today and where it gets "
                        "difficult. I'll share a little about how other specialty "
                        "retailers handle it, and at the end we can decide together "
                        "whether a demo makes sense. If it doesn't look like a fit, "
                        "it's fine to say so. Is there anything you want to make sure "
                        "we cover?”</em></p>"
                        "<p>That last question matters. Write down what they say and "
                        "make sure you cover it.</p>"
                    ),
                ),
                ("heading", "Closing with a next step"),
                (
                    "paragraph",
                    (
                        "<p>Never end with “I'll follow up.” Summarize the two or "
                        "three pains you heard in their words, ask whether you got it "
                        "right, and propose a specific next step with a date: a demo "
                        "for Rachel and her planning lead next Tuesday at 10 a.m., "
                        "with a calendar invite sent before you hang up.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Aim to talk for less than 40 percent of a discovery call. "
                            "If you hear yourself explaining a feature, stop and ask a "
                            "question instead."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Questions that uncover pain",
            body=[
                ("heading", "From symptoms to impact"),
                (
                    "paragraph",
                    (
                        "<p>Buyers usually describe symptoms: “our reports take too "
                        "long” or “we have too much inventory.” Your job is to move "
                        "from the symptom to its business impact and then to a number. "
                        "A pain without a number rarely gets a budget.</p>"
                    ),
                ),
                ("heading", "Example questions"),
                (
                    "paragraph",
                    (
                        "<p><strong>Current state</strong></p><ul>"
                        "<li>Walk me through how your team decides what to mark down "
                        "and when.</li>"
                        "<li>Where does the Monday sales report come from, and who "
                        "builds it?</li>"
                        "<li>How do you forecast demand today, and at what level: "
                        "category, SKU, store?</li>"
                        "</ul><p><strong>Pain and impact</strong></p><ul>"
                        "<li>What happened with inventory at the end of last "
                        "season?</li>"
                        "<li>When a best seller stocks out in a store, how quickly do "
                        "you find out?</li>"
                        "<li>How much of your planners' week goes into preparing data "
                        "rather than acting on it?</li>"
                        "</ul><p><strong>Quantification</strong></p><ul>"
                        "<li>Roughly what did you spend on markdowns last year, as a "
                        "share of sales?</li>"
                        "<li>If you could take a point off that, what would it be "
                        "worth?</li>"
                        "<li>How many hours a week go into reporting across the "
                        "team?</li>"
                        "</ul><p><strong>Future state and urgency</strong></p><ul>"
                        "<li>If we met again in a year and this had gone well, what "
                        "would be different?</li>"
                        "<li>Why is this a priority now rather than next year?</li>"
                        "<li>What happens if nothing changes?</li></ul>"
                    ),
                ),
                ("heading", "Listening well"),
                (
                    "paragraph",
                    (
                        "<p>Good questions are wasted without good listening. Let "
                        "silences run; the most useful answer often comes after a "
                        "pause. Follow up on emotional words such as “frustrating” or "
                        "“embarrassing” with <em>“Tell me more about that.”</em> "
                        "Summarize in their language, not ours: if they say “dead "
                        "stock,” do not translate it into “inventory health.”</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "Avoid leading questions such as “Wouldn't it be great if "
                            "your forecasts were more accurate?” They get a polite yes "
                            "and tell you nothing. Ask open questions and let the "
                            "buyer describe the problem."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Qualifying with MEDDPICC",
            body=[
                ("heading", "Why we qualify"),
                (
                    "paragraph",
                    (
                        "<p>MEDDPICC is the checklist we use to decide whether an "
                        "opportunity is real and what is missing. Work through it "
                        "during discovery and the following calls, and keep the fields "
                        "up to date in the CRM. Gaps are not failures; they are your "
                        "plan for the next meeting.</p>"
                    ),
                ),
                ("heading", "The checklist"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li><strong>Metrics:</strong> the measurable outcome the "
                        "buyer wants, such as “cut markdown spend from 11 to 9 percent "
                        "of sales” or “reduce stockouts on the top 500 SKUs by 20 "
                        "percent.”</li>"
                        "<li><strong>Economic buyer:</strong> the person who can "
                        "approve the spend, usually the CFO. Have you met them, and do "
                        "you know what they care about?</li>"
                        "<li><strong>Decision criteria:</strong> how they will compare "
                        "options: time to value, forecast accuracy, connectors, price, "
                        "ease of use.</li>"
                        "<li><strong>Decision process:</strong> the steps from today "
                        "to a decision: who evaluates, who approves, what meetings "
                        "happen and when.</li>"
                        "<li><strong>Paper process:</strong> legal review, security "
                        "questionnaire, data processing agreement, procurement and "
                        "signature. Ask early; it often takes longer than the "
                        "evaluation itself.</li>"
                        "<li><strong>Identify pain:</strong> the business problem, its "
                        "cost and why it must be solved now.</li>"
                        "<li><strong>Champion:</strong> someone with influence who is "
                        "selling for you when you are not in the room, and who has "
                        "tested it by getting you access to other people.</li>"
                        "<li><strong>Competition:</strong> what else they are "
                        "considering, including spreadsheets, an in-house build or "
                        "doing nothing.</li></ul>"
                    ),
                ),
                ("heading", "Questions that fill the gaps"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li><em>“Besides you, who needs to be comfortable with this "
                        "before it moves forward?”</em> (decision process, economic "
                        "buyer)</li>"
                        "<li><em>“When you bought your last major system, what did the "
                        "approval look like?”</em> (paper process)</li>"
                        "<li><em>“What would you need to see to be confident this "
                        "works for your business?”</em> (decision criteria)</li>"
                        "<li><em>“What else are you looking at, including building it "
                        "yourselves?”</em> (competition)</li></ul>"
                    ),
                ),
                ("heading", "Reading the result"),
                (
                    "paragraph",
                    (
                        "<p>An opportunity with confirmed pain, metrics and a champion "
                        "is ready for a tailored demo. If you cannot name the economic "
                        "buyer or describe the decision process by the end of the demo "
                        "stage, the close date in the CRM is a guess, so say so in the "
                        "forecast call.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Test your champion with a small request, such as an "
                            "introduction to the CFO or a copy of last season's "
                            "markdown report. Someone who will not do small things for "
                            "you will not sell for you."
                        ),
                    },
                ),
            ],
        ),
    ],
)

_DEMO_SKILLS: DemoCourse = DemoCourse(
    title="Demo skills",
    summary=(
        "How to run a Northwind Insight demo that feels like the buyer's own business: "
        "open strong, use tell-show-tell and a day-in-the-life story, and close with a "
        "clear next step."
    ),
    estimated_minutes=30,
    lessons=[
        DemoLesson(
            title="The first five minutes",
            body=[
                ("heading", "Why the opening matters"),
                (
                    "paragraph",
                    (
                        "<p>Buyers decide within the first few minutes whether a demo "
                        "will be worth their time. If you open with a company overview "
                        "and a tour of the navigation menu, attention drifts and the "
                        "most senior person starts checking email. If you open by "
                        "showing that you remember their problem, they lean in.</p>"
                        "<p>The video below shows Sofia Marquez, one of our senior "
                        "reps, opening a demo for a 120-store apparel retailer. Watch "
                        "it once straight through, then read the breakdown that "
                        "follows and watch it again.</p>"
                    ),
                ),
                ("video", "Demo skills: the first five minutes"),
                ("heading", "The four moves in the video"),
                (
                    "paragraph",
                    (
                        "<ol>"
                        "<li><strong>Recap discovery (about 90 seconds).</strong> "
                        "Sofia plays back the buyer's pains in their own words: late "
                        "visibility of slow sellers, a Monday report that takes a "
                        "planner all day, and markdowns that cost 11 percent of sales "
                        "last year. She asks, <em>“Is that still right, or has "
                        "anything changed?”</em></li>"
                        "<li><strong>Confirm who is in the room.</strong> A CFO and a "
                        "planning lead joined who were not on the discovery call. She "
                        "asks each of them what they want to get out of the hour and "
                        "writes it down.</li>"
                        "<li><strong>Set the agenda.</strong> Three stories, one per "
                        "pain, then time for questions and next steps. She promises to "
                        "finish five minutes early.</li>"
                        "<li><strong>Show the ending first.</strong> Before any "
                        "clicking, she shows the one screen that matters most to this "
                        "buyer: the markdown plan for the current season with the "
                        "projected margin improvement. Everything after that explains "
                        "how they would get there.</li></ol>"
                    ),
                ),
                ("heading", "What to avoid"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li>Starting with slides about Northwind's history or "
                        "funding.</li>"
                        "<li>Logging in live and waiting for pages to load; have every "
                        "screen ready in tabs.</li>"
                        "<li>Saying “let me show you everything it can do.” Show what "
                        "matters to them and nothing else.</li></ul>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Write your opening recap in advance, using the exact "
                            "phrases from your discovery notes. Buyers notice when you "
                            "use their words, and it proves you were listening."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Tell-show-tell and the day in the life",
            body=[
                ("heading", "Tell-show-tell"),
                (
                    "paragraph",
                    (
                        "<p>Every part of a Northwind demo follows the same three "
                        "beats:</p><ol>"
                        "<li><strong>Tell:</strong> say what you are about to show and "
                        "why it matters to them. <em>“You mentioned your planners "
                        "don't see slow sellers until week ten. Let me show you how "
                        "Rachel's team would see them in week three.”</em></li>"
                        "<li><strong>Show:</strong> show only that, in as few clicks "
                        "as possible. Keep your narration to what they are seeing.</li>"
                        "<li><strong>Tell:</strong> summarize the value and check it "
                        "landed. <em>“So instead of a deep markdown in week ten, you "
                        "have a choice in week three. How would that change your "
                        "end-of-season position?”</em></li>"
                        "</ol><p>The second “tell” is the one reps skip, and it is the "
                        "most important. It turns a feature into a benefit and invites "
                        "the buyer to say it back to you.</p>"
                    ),
                ),
                ("heading", "The day in the life"),
                (
                    "paragraph",
                    (
                        "<p>Instead of touring modules, tell the story of one person's "
                        "week using Northwind Insight. For a merchandising audience, a "
                        "strong story is <strong>Monday morning for a "
                        "planner</strong>:</p><ol>"
                        "<li>At 8:30 a.m. she opens the Store Performance summary. "
                        "Last week's sales, sell-through and stock cover are already "
                        "there, reconciled across stores and online. No "
                        "spreadsheet.</li>"
                        "<li>She sees that a spring jacket is selling 30 percent above "
                        "forecast in coastal stores and below forecast inland. She "
                        "drills into the demand forecast and sees the gap will become "
                        "a stockout in two weeks.</li>"
                        "<li>She rebalances inventory from the slow stores to the fast "
                        "ones and notes the change so the buyer sees it.</li>"
                        "<li>She opens Markdown Optimization, which suggests a "
                        "shallow, early markdown on a slow-moving knitwear line in "
                        "twelve stores only. She approves it and the plan goes to "
                        "pricing.</li>"
                        "<li>By 9:15 a.m. the work that used to take all of Monday is "
                        "done, and the team meeting is about decisions rather than "
                        "numbers.</li></ol>"
                    ),
                ),
                ("heading", "Tailoring the story"),
                (
                    "paragraph",
                    (
                        "<p>Change the main character to match the audience. For a "
                        "Head of E-commerce, follow an online order through store "
                        "inventory. For a CFO, follow the end-of-season margin review. "
                        "For store operations, follow a district manager planning "
                        "store visits. Use the demo tenant's data for a retailer in "
                        "the same segment as the prospect.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Keep each story under eight minutes and stop for a "
                            "question after every one. A demo that is a conversation "
                            "closes better than a perfect monologue."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Handling questions and closing the demo",
            body=[
                ("heading", "Questions are buying signals"),
                (
                    "paragraph",
                    (
                        "<p>Questions mean the buyer is picturing the product in their "
                        "business. Welcome them, but keep control of the time. Before "
                        "you answer, understand why they are asking: <em>“Good "
                        "question. What's behind it?”</em> The answer to “Can it "
                        "forecast by size?” depends on whether they have a size-curve "
                        "problem or are simply curious.</p>"
                    ),
                ),
                ("heading", "Three kinds of question"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li><strong>Relevant and quick:</strong> answer it now, in "
                        "one or two sentences, and show it if it takes under a "
                        "minute.</li>"
                        "<li><strong>Relevant but long:</strong> park it. Write it in "
                        "a visible parking lot and promise a follow-up session or a "
                        "specialist.</li>"
                        "<li><strong>Not something we do:</strong> say so plainly, "
                        "then ask how important it is. Never bluff. A confident “No, "
                        "we don't, and here's what customers do instead” builds more "
                        "trust than a vague yes.</li></ul>"
                    ),
                ),
                ("heading", "Checking as you go"),
                (
                    "paragraph",
                    (
                        "<p>Use trial closes after each story to test whether the "
                        "value is landing: <em>“On a scale of one to ten, how useful "
                        "would that be for your planners?”</em> Anything below seven "
                        "tells you to ask what is missing before moving on. Watch the "
                        "quietest senior person in the room; if they have not spoken "
                        "by the halfway point, ask them directly.</p>"
                    ),
                ),
                ("heading", "Closing the demo"),
                (
                    "paragraph",
                    (
                        "<p>Leave at least five minutes at the end. Summarize the "
                        "value in the buyer's words, revisit what each attendee said "
                        "they wanted at the start, and agree the next step with a "
                        "date. Typical next steps after a first demo are a technical "
                        "session with IT on data connections, a business case workshop "
                        "with finance, or a reference call with a similar customer.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "Only ever demo from the Northwind demo tenant, which uses "
                            "synthetic data. Never show another customer's workspace "
                            "or data, even anonymized, and never share your screen "
                            "with other browser tabs open."
                        ),
                    },
                ),
            ],
        ),
    ],
)

_OBJECTION_HANDLING: DemoCourse = DemoCourse(
    title="Objection handling",
    summary=(
        "A simple framework for responding to any objection, the objections you will "
        "hear most, and a worked example of handling the pricing objection with value "
        "rather than discounts."
    ),
    estimated_minutes=25,
    lessons=[
        DemoLesson(
            title="A framework for any objection",
            body=[
                ("heading", "Objections are information"),
                (
                    "paragraph",
                    (
                        "<p>An objection is rarely a final no. Usually it means the "
                        "buyer has a concern you have not yet understood or addressed. "
                        "Reps who treat objections as attacks argue; reps who treat "
                        "them as information ask questions and learn what the deal "
                        "really needs.</p>"
                    ),
                ),
                ("heading", "Acknowledge, clarify, respond, confirm"),
                (
                    "paragraph",
                    (
                        "<ol>"
                        "<li><strong>Acknowledge.</strong> Show you heard it, without "
                        "agreeing or arguing: <em>“That's a fair concern, and we hear "
                        "it from a lot of retailers.”</em></li>"
                        "<li><strong>Clarify.</strong> Ask a question to find the real "
                        "concern: <em>“When you say the timing isn't right, is that "
                        "about budget, your team's workload, or something "
                        "else?”</em></li>"
                        "<li><strong>Respond.</strong> Answer the concern you "
                        "uncovered, briefly, with evidence: a customer example, a "
                        "number or a proof point.</li>"
                        "<li><strong>Confirm.</strong> Check that the answer worked: "
                        "<em>“Does that address it, or is there more to it?”</em></li>"
                        "</ol>"
                    ),
                ),
                ("heading", "The objections you will hear most"),
                (
                    "paragraph",
                    (
                        "<p><strong>“We already have a BI tool.”</strong> Agree that "
                        "it is valuable and ask how they use it for forecasting and "
                        "markdowns today. Usually the answer is that they do not. "
                        "Position Insight as the retail model and forecasts that feed "
                        "their BI tool, not a replacement for it.</p>"
                        "<p><strong>“Our data team can build this.”</strong> Ask how "
                        "long they expect it to take and what else the team would stop "
                        "doing. Compare twelve to eighteen months of build with four "
                        "to six weeks to go live.</p>"
                        "<p><strong>“Now isn't a good time.”</strong> Ask what would "
                        "make it a good time, and what the cost of waiting is. If the "
                        "season's markdown decisions are made in eight weeks, waiting "
                        "until next quarter costs a full season.</p>"
                        "<p><strong>“We're looking at a bigger suite.”</strong> Ask "
                        "which capabilities they expect to use in the first year and "
                        "who will run the implementation. Compare total cost and time "
                        "to value, not feature lists.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Keep a running list of the objections you hear and how "
                            "you handled them. Bring it to your coaching sessions; the "
                            "same five objections account for most of what you will "
                            "face."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="The pricing objection",
            body=[
                ("heading", "What “too expensive” usually means"),
                (
                    "paragraph",
                    (
                        "<p>“It's too expensive” can mean several different things: "
                        "the buyer does not yet see enough value, the price is above a "
                        "budget that was set before they met you, they are testing "
                        "whether you will discount, or they are comparing you with a "
                        "cheaper alternative such as doing nothing. Do not respond "
                        "until you know which one you are dealing with.</p>"
                    ),
                ),
                ("heading", "A worked example"),
                (
                    "paragraph",
                    (
                        "<p>The prospect: a 120-store apparel retailer with $300 "
                        "million in annual revenue. We have proposed Northwind Insight "
                        "at $180,000 a year. The CFO says: <em>“That's a lot more than "
                        "we expected to spend on analytics.”</em></p>"
                        "<p><strong>Acknowledge and clarify:</strong> <em>“I "
                        "understand, it's a real investment. Can I ask what you were "
                        "comparing it with: a budget figure, another option, or what "
                        "you spend today?”</em> He says the analytics budget for the "
                        "year was $100,000.</p>"
                        "<p><strong>Respond with their numbers:</strong> <em>“In "
                        "discovery, your team told us markdowns were about 11 percent "
                        "of sales last year, which is roughly $33 million. Customers "
                        "like you typically reduce markdown spend by 5 to 10 percent. "
                        "Even at the low end, 5 percent of $33 million is $1.65 "
                        "million a year. Against $180,000, that pays back in about six "
                        "weeks, before we count the planners' time or the "
                        "stockouts.”</em></p>"
                        "<p><strong>Confirm:</strong> <em>“If we could show that those "
                        "numbers hold for your business, would the price still be the "
                        "main concern, or is the issue which budget it comes "
                        "from?”</em> Often the real problem is that merchandising, not "
                        "IT, should own the budget, and your champion can help move "
                        "it.</p>"
                    ),
                ),
                ("heading", "Discounts"),
                (
                    "paragraph",
                    (
                        "<p>Do not offer a discount to make an objection go away. A "
                        "discount given too early tells the buyer the price was never "
                        "real. If price is truly the last obstacle, trade rather than "
                        "give: a lower first-year fee in exchange for a two-year term, "
                        "a case study, or a signature by a specific date. Every "
                        "discount above 10 percent needs your manager's approval "
                        "before you mention it.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "This is the scenario in the practice assignment “Handle "
                            "the pricing objection.” Record your answer in under two "
                            "minutes, using the four steps and at least one number "
                            "from the buyer's own business."
                        ),
                    },
                ),
            ],
        ),
    ],
)

_CRM_HYGIENE: DemoCourse = DemoCourse(
    title="CRM hygiene",
    summary=(
        "The rules that keep our pipeline honest: which fields must always be true, "
        "when notes are due, and the exit criteria for every opportunity stage."
    ),
    estimated_minutes=15,
    lessons=[
        DemoLesson(
            title="The rules every rep follows",
            body=[
                ("heading", "Why CRM hygiene matters"),
                (
                    "paragraph",
                    (
                        "<p>The CRM is how the rest of Northwind sees your deals. Your "
                        "manager uses it to forecast, marketing uses it to understand "
                        "which campaigns work, and the customer success team uses it "
                        "to learn what you promised. If it is out of date, everyone "
                        "makes decisions on bad information, including you. Good "
                        "hygiene also protects you: a well-documented opportunity can "
                        "be picked up by a colleague if you are out sick.</p>"
                    ),
                ),
                ("heading", "The non-negotiables"),
                (
                    "paragraph",
                    (
                        "<ol>"
                        "<li><strong>Every open opportunity has a next step with a "
                        "date.</strong> Write it as an action and an owner, such as "
                        "“Demo for Rachel and planning lead, Tue Nov 10,” never "
                        "“follow up.” If the date passes, update it the same day.</li>"
                        "<li><strong>Notes within 24 hours.</strong> Log every call, "
                        "demo and meeting within one business day: who attended, what "
                        "you learned, pains in the buyer's words, and what was "
                        "agreed.</li>"
                        "<li><strong>Close date and amount are your honest best "
                        "estimate.</strong> Not the date your manager hopes for. If it "
                        "moves, move it and note why.</li>"
                        "<li><strong>Contacts and roles are attached.</strong> Every "
                        "person you meet is a contact on the opportunity, with a role: "
                        "champion, economic buyer, evaluator, user or blocker.</li>"
                        "<li><strong>MEDDPICC fields are current.</strong> Update them "
                        "after every meaningful conversation. An empty field is fine; "
                        "a wrong one is not.</li>"
                        "<li><strong>Closed-lost has a reason.</strong> Pick the "
                        "reason code and write one sentence on what happened. This is "
                        "how we learn.</li></ol>"
                    ),
                ),
                ("heading", "Writing useful notes"),
                (
                    "paragraph",
                    (
                        "<p>Write notes for a colleague who has never met the "
                        "customer. Lead with the outcome and the next step, then the "
                        "details. Record facts and the buyer's words, not your opinion "
                        "of people. Keep notes professional: customers can ask to see "
                        "what we hold about them.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "Never paste customer data extracts, passwords or personal "
                            "details such as home addresses into CRM notes. The Data "
                            "privacy refresher covers what is and is not allowed."
                        ),
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "Block fifteen minutes at the end of each day for CRM "
                            "updates. It is much faster than reconstructing a week of "
                            "calls on a Friday afternoon."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="Stage exit criteria",
            body=[
                ("heading", "Stages are defined by what the buyer has done"),
                (
                    "paragraph",
                    (
                        "<p>An opportunity moves to the next stage only when the exit "
                        "criteria of the current stage are met. The criteria describe "
                        "what the buyer has done or agreed, not what you have done. "
                        "Sending a proposal does not make a deal a proposal-stage "
                        "deal; a buyer agreeing to review it with the economic buyer "
                        "does.</p>"
                    ),
                ),
                ("heading", "Our stages"),
                (
                    "paragraph",
                    (
                        "<ol>"
                        "<li><strong>Qualify.</strong> Exit when the account fits the "
                        "ICP, you have spoken with someone who feels the pain, and a "
                        "discovery call is booked.</li>"
                        "<li><strong>Discovery.</strong> Exit when the pain and its "
                        "impact are documented, at least one metric is agreed, a "
                        "likely champion is identified, and a demo with the right "
                        "people is scheduled.</li>"
                        "<li><strong>Demo and evaluation.</strong> Exit when the buyer "
                        "agrees Northwind Insight can solve the problem, the decision "
                        "criteria and process are documented, and you have met or have "
                        "a meeting with the economic buyer.</li>"
                        "<li><strong>Proposal.</strong> Exit when the economic buyer "
                        "has reviewed the proposal and business case and there is a "
                        "verbal selection, with the paper process mapped: legal, "
                        "security review and procurement.</li>"
                        "<li><strong>Negotiation.</strong> Exit when contract terms "
                        "are agreed and the order form is out for signature.</li>"
                        "<li><strong>Closed won or closed lost.</strong> Won when the "
                        "signed order form is received. Lost with a reason code and a "
                        "note.</li></ol>"
                    ),
                ),
                ("heading", "How managers use the stages"),
                (
                    "paragraph",
                    (
                        "<p>In the weekly pipeline review, your manager will ask what "
                        "evidence supports each stage. Expect questions like “Who is "
                        "the economic buyer, and when did you last speak?” and “What "
                        "has the buyer done since the demo?” If you cannot answer from "
                        "the CRM, the deal probably belongs in an earlier stage. "
                        "Moving a deal back is not a failure; it makes the forecast "
                        "honest.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "When you update a stage, add a one-line note stating "
                            "which exit criteria were met and how you know. It saves a "
                            "long conversation in the pipeline review."
                        ),
                    },
                ),
            ],
        ),
    ],
)

# The onboarding path's courses, in the order a new rep takes them.
ONBOARDING_COURSES: list[DemoCourse] = [
    _NORTHWIND_AND_ITS_PRODUCT,
    _ICP_AND_PERSONAS,
    _DISCOVERY_CALLS,
    _DEMO_SKILLS,
    _OBJECTION_HANDLING,
    _CRM_HYGIENE,
]

# Campaign courses: a new product update each month, a privacy refresher each year.
PRODUCT_UPDATE_COURSE: DemoCourse = DemoCourse(
    title="Product update: November 2026",
    summary=(
        "What is new in Northwind Insight this month: margin floors in the markdown "
        "optimizer, a Shopify connector and a forecast accuracy report, and how to "
        "position each with customers and prospects."
    ),
    estimated_minutes=10,
    lessons=[
        DemoLesson(
            title="What's new in Northwind Insight",
            body=[
                (
                    "paragraph",
                    (
                        "<p>Three releases shipped this month. Each one answers a "
                        "question you hear in deals, so learn what it does, who cares "
                        "about it and the one sentence that positions it.</p>"
                    ),
                ),
                ("heading", "Margin floors in Markdown Optimization"),
                (
                    "paragraph",
                    (
                        "<p>Merchants can now set a <strong>margin floor</strong> for "
                        "each category or product line: the lowest gross margin a "
                        "markdown is allowed to reach. The optimizer still works "
                        "toward the sell-through target, but it will not recommend a "
                        "price below the floor. If it cannot reach the target without "
                        "breaking the floor, it flags the item and suggests "
                        "alternatives such as moving stock to stronger stores.</p>"
                        "<p><strong>Who cares:</strong> VPs of Merchandising and CFOs, "
                        "especially in premium or brand-sensitive categories where "
                        "deep discounts damage the brand.</p>"
                        "<p><strong>Position it:</strong> <em>“You stay in control of "
                        "how far any markdown goes. Insight finds the best plan inside "
                        "the limits your merchants set.”</em> Use it whenever a buyer "
                        "worries that an algorithm will give away margin.</p>"
                    ),
                ),
                ("heading", "Shopify connector"),
                (
                    "paragraph",
                    (
                        "<p>Insight Connect now includes a native connector for "
                        "<strong>Shopify</strong>, including Shopify POS. It brings in "
                        "orders, returns, products, inventory levels and locations, "
                        "and updates every hour. Setup takes under a day, with no help "
                        "needed from the customer's IT team.</p>"
                        "<p><strong>Who cares:</strong> Heads of E-commerce, and "
                        "retailers that run their online store on Shopify alongside a "
                        "different POS in stores.</p>"
                        "<p><strong>Position it:</strong> <em>“Your Shopify store and "
                        "your stores finally appear in one view, with the same "
                        "products and the same numbers.”</em> Revisit closed-lost "
                        "opportunities where a missing Shopify connector was the "
                        "reason; marketing has a list for each region.</p>"
                    ),
                ),
                ("heading", "Forecast accuracy report"),
                (
                    "paragraph",
                    (
                        "<p>A new report in Demand Forecasting shows how accurate the "
                        "forecast has been, by category, store and week, compared with "
                        "the customer's previous method where that history is "
                        "available. It shows weighted error and bias, so planners can "
                        "see whether forecasts tend to run high or low.</p>"
                        "<p><strong>Who cares:</strong> planning teams and finance, "
                        "and anyone who asks, “How do we know the forecast is any "
                        "good?”</p>"
                        "<p><strong>Position it:</strong> <em>“You don't have to take "
                        "our word for it. Insight shows you how accurate it has been, "
                        "every week.”</em> In evaluations, offer to review the report "
                        "together thirty days after go-live.</p>"
                    ),
                ),
                ("heading", "Availability"),
                (
                    "paragraph",
                    (
                        "<p>All three features are included in every current plan at "
                        "no extra cost and are on by default for new customers. "
                        "Existing customers will see them after their customer success "
                        "manager walks them through the release this month.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "Do not promise dates for anything on the roadmap that has "
                            "not shipped. If a prospect asks, say you will check with "
                            "product management and follow up in writing."
                        ),
                    },
                ),
            ],
        ),
    ],
)

PRIVACY_REFRESHER_COURSE: DemoCourse = DemoCourse(
    title="Data privacy refresher 2026",
    summary=(
        "This year's required refresher on handling customer data in demos and trials, "
        "the GDPR and CCPA basics every seller needs, and what must never go into "
        "email or the CRM."
    ),
    estimated_minutes=20,
    lessons=[
        DemoLesson(
            title="Customer data in demos and trials",
            body=[
                ("heading", "Our starting point"),
                (
                    "paragraph",
                    (
                        "<p>Retailers trust us with some of their most sensitive "
                        "commercial data: sales by store, costs, margins and, in some "
                        "cases, data about their own shoppers. That trust is part of "
                        "what we sell. A single careless screenshot can lose a deal, "
                        "breach a contract and damage our reputation with every "
                        "retailer the story reaches.</p>"
                    ),
                ),
                ("heading", "Demos"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li>Demo only from the <strong>Northwind demo "
                        "tenant</strong>. Its retailers, stores and sales are "
                        "synthetic.</li>"
                        "<li>Never show a customer's workspace to a prospect, even "
                        "with names hidden. Patterns in sales and store counts can "
                        "identify a retailer.</li>"
                        "<li>Never use real customer numbers in slides or business "
                        "cases for another prospect. Use the approved, anonymized "
                        "benchmarks from the enablement hub.</li>"
                        "<li>Before sharing your screen, close email, chat and any tab "
                        "showing another customer.</li></ul>"
                    ),
                ),
                ("heading", "Trials and proofs of concept"),
                (
                    "paragraph",
                    (
                        "<p>A proof of concept uses the prospect's real data, so it "
                        "follows stricter rules:</p><ol>"
                        "<li>The mutual NDA and our data processing agreement (DPA) "
                        "are signed <strong>before</strong> any data is shared.</li>"
                        "<li>Data arrives only through the secure upload in the trial "
                        "workspace or through Insight Connect. Never by email "
                        "attachment, chat or a personal file-sharing link.</li>"
                        "<li>Ask for the minimum data needed. Sales, inventory and "
                        "product data are enough; we do not need shoppers' names, "
                        "email addresses or loyalty details. If a file arrives "
                        "containing personal data, do not open or forward it; tell the "
                        "solutions engineer, who will have it deleted.</li>"
                        "<li>Access is limited to the named deal team.</li>"
                        "<li>When the trial ends, the prospect's data is deleted "
                        "within 30 days unless they sign, and you confirm the deletion "
                        "to them in writing.</li></ol>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "If customer data ever reaches you through the wrong "
                            "channel, do not forward it, even to a colleague. Report "
                            "it to security@northwind.example right away."
                        ),
                    },
                ),
            ],
        ),
        DemoLesson(
            title="GDPR, CCPA and what never to paste",
            body=[
                ("heading", "The basics for sellers"),
                (
                    "paragraph",
                    (
                        "<p>Privacy laws protect information about people, not "
                        "companies. A retailer's sales figures are confidential "
                        "business data; the name, work email and phone number of the "
                        "VP of Merchandising are <strong>personal data</strong>. As "
                        "sellers, we handle personal data every day: in our prospect "
                        "lists, our CRM and our email.</p>"
                    ),
                ),
                ("heading", "GDPR"),
                (
                    "paragraph",
                    (
                        "<p>The EU's General Data Protection Regulation, and the UK's "
                        "version of it, apply to personal data about people in those "
                        "countries. For B2B prospecting we usually rely on "
                        "<em>legitimate interest</em>, which means:</p><ul>"
                        "<li>contact people about things relevant to their job, and "
                        "only those;</li>"
                        "<li>tell them who we are and give them an easy way to opt out "
                        "in every email;</li>"
                        "<li>honor an opt-out immediately, by setting the contact's "
                        "opt-out flag in the CRM;</li>"
                        "<li>keep only what we need, and do not copy contacts into "
                        "personal spreadsheets.</li>"
                        "</ul><p>People can ask to see, correct or delete the data we "
                        "hold about them. Forward any such request to "
                        "privacy@northwind.example the same day; we have strict "
                        "deadlines to respond.</p>"
                    ),
                ),
                ("heading", "CCPA"),
                (
                    "paragraph",
                    (
                        "<p>The California Consumer Privacy Act, as amended by the "
                        "CPRA, gives California residents rights to know, correct and "
                        "delete their personal information and to opt out of its sale "
                        "or sharing. Since 2023 it also covers business contacts, so a "
                        "request from a buyer in California is handled the same way as "
                        "a GDPR request: send it to the privacy team the same day.</p>"
                    ),
                ),
                ("heading", "Never paste into email or the CRM"),
                (
                    "paragraph",
                    (
                        "<ul>"
                        "<li>Customer data extracts, such as sales files, store "
                        "reports or screenshots of a customer's workspace.</li>"
                        "<li>Shoppers' personal data: names, email addresses, loyalty "
                        "IDs or order histories.</li>"
                        "<li>Payment card numbers, bank details or government ID "
                        "numbers, from anyone.</li>"
                        "<li>Passwords, API keys or connection details for any system, "
                        "ours or the customer's.</li>"
                        "<li>Sensitive personal details about the people you sell to, "
                        "such as health, family situation or opinions about their "
                        "performance.</li></ul>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": (
                            "When in doubt, describe instead of copying: write “the "
                            "prospect shared last season's markdown report; markdowns "
                            "were about 11 percent of sales,” not the report itself."
                        ),
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": (
                            "If you think personal or customer data has gone somewhere "
                            "it should not, report it to security@northwind.example "
                            "immediately. Under GDPR, the company may have only 72 "
                            "hours to notify the regulator."
                        ),
                    },
                ),
            ],
        ),
    ],
)
