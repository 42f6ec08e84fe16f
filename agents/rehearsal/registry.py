"""The rehearsal's agents, in the order a turn runs them: what the rehearsal graph wires.

| module (`agents/rehearsal/`) | prompt (`prompts/`) | node (= state key) |
|------------------------------|---------------------|--------------------|
| `counterpart`                | `counterpart.md`    | `counterpart`      |
| `coach`                      | `coach.md`          | `coach`            |
| `review`                     | `review.md`         | `review`           |

The counterpart and the coach answer each turn side by side; the review answers once, at the end.
"""

from __future__ import annotations

from agents.rehearsal import coach, counterpart, review
from pipeline.agent_kit import TurnAgent

EACH_TURN: tuple[TurnAgent, ...] = (counterpart.AGENT, coach.AGENT)
AT_THE_END: TurnAgent = review.AGENT
REHEARSAL: tuple[TurnAgent, ...] = (*EACH_TURN, AT_THE_END)
