"""Draw docs/images/architecture.svg: the apps on their floors and who imports whom.

The arrows are read from the source (every `import` between the project's top-level apps,
migrations excluded), not drawn by hand, so the picture cannot drift from the code; the
floors are the ones tests/test_architecture.py enforces. Run: `python ops/architecture_diagram.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_architecture import FLOORS, imported_apps, python_files  # noqa: E402

ROLE = {
    "govuk_forms": "GOV.UK form kit",
    "audit": "access log, retention registry",
    "partnership": "agencies, committees, roles, periods, policy base",
    "accounts": "users, sign-in, 2FA, role grants",
    "records": "generic record services",
    "cases": "casework, chronology registry",
    "maog": "MAOG records, networks",
    "actions": "action plan",
    "performance": "indicators, committee reports",
    "demo": "demo seeding (imports every app)",
}


def import_graph() -> set[tuple[str, str]]:
    edges: set[tuple[str, str]] = set()
    for app in FLOORS:
        for path in python_files(app):
            for other in imported_apps(path.read_text()):
                if other != app and other in FLOORS:
                    edges.add((app, other))
    return edges


def draw(out: Path) -> None:
    floors: dict[int, list[str]] = {}
    for app, floor in FLOORS.items():
        floors.setdefault(floor, []).append(app)
    width, box_w, box_h = 12.0, 2.6, 0.62
    positions: dict[str, tuple[float, float]] = {}
    for floor, apps in floors.items():
        for index, app in enumerate(sorted(apps)):
            x = width * (index + 1) / (len(apps) + 1)
            if len(apps) == 1:  # zig-zag lone apps so arrows do not run through boxes
                x += 1.6 if floor % 2 else -1.6
            positions[app] = (x, floor * 1.25)
    fig, ax = plt.subplots(figsize=(width, 1.25 * (max(floors) + 1) + 0.6))
    ax.set_xlim(0, width)
    ax.set_ylim(-0.8, 1.25 * max(floors) + 0.8)
    ax.axis("off")
    for app, (x, y) in positions.items():
        ax.add_patch(
            FancyBboxPatch(
                (x - box_w / 2, y - box_h / 2),
                box_w,
                box_h,
                boxstyle="round,pad=0.02",
                facecolor="#f3f2f1",
                edgecolor="#0b0c0c",
                zorder=2,
            )
        )
        ax.text(x, y + 0.1, app, ha="center", va="center", fontsize=11, weight="bold", zorder=3)
        ax.text(x, y - 0.15, ROLE.get(app, ""), ha="center", va="center", fontsize=7.5, zorder=3)
        ax.text(0.05, y, f"floor {FLOORS[app]}", va="center", fontsize=8, color="#505a5f")
    for source, target in sorted(import_graph()):
        (x1, y1), (x2, y2) = positions[source], positions[target]
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1 - box_h / 2),
                (x2, y2 + box_h / 2),
                arrowstyle="-|>",
                mutation_scale=10,
                color="#1d70b8",
                alpha=0.55,
                connectionstyle="arc3,rad=0.08",
                zorder=1,
            )
        )
    ax.set_title("CSE Portal apps: an arrow means 'imports'; arrows only point down", fontsize=12)
    fig.savefig(out, bbox_inches="tight", metadata={"Date": None})


if __name__ == "__main__":
    target = ROOT / "docs" / "images" / "architecture.svg"
    draw(target)
    print(f"wrote {target.relative_to(ROOT)}")
