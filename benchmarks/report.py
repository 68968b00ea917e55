"""The results as Markdown tables (printed, and pasted into docs/performance.md) and as a PNG chart of the ratios."""

from __future__ import annotations

from pathlib import Path

from benchmarks._harness import Figure, Results


def _number(value: float) -> str:
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def _figure_value(figure: Figure) -> str:
    if figure.unit == "yes=1":
        return "yes" if figure.value else "no"
    if figure.unit == "times":
        return f"{figure.value:.0f}"
    return f"{_number(figure.value)} {figure.unit}"


def markdown(results: Results, machine: dict[str, str], date: str, command: str) -> str:
    """Both tables, with the machine and the command that reproduces them."""
    lines = [
        f"Measured {date} on {machine['cpu']} ({machine['cores']} cores), {machine['os']}, {machine['python']}, "
        f"botocore {machine['botocore']}, boto3 {machine['boto3']}, moto {machine['moto']}. "
        f"Rerun: `{command}`.",
        "",
        "| ratio | measured | target | met |",
        "|---|---:|---:|:---:|",
    ]
    for ratio in results.ratios:
        met = {True: "yes", False: "**no**", None: ""}[ratio.met]
        lines.append(f"| {ratio.section}: {ratio.name} | {ratio.value:.3g} | {ratio.target_text} | {met} |")
    lines += ["", "| measurement | value |", "|---|---:|"]
    for figure in results.figures:
        lines.append(f"| {figure.section}: {figure.name} | {_figure_value(figure)} |")
    if results.notes:
        lines.append("")
        lines += [f"- {note}" for note in results.notes]
    return "\n".join(lines) + "\n"


SUBTITLES = {
    "Per-call overhead": "time per call ÷ the mock's (below 1: faster than the mock)",
    "Scale": "search time ÷ search time at 100 profiles (1: flat)",
    "Standard objects": "plain PutProfileObject time ÷ one filling standard objects (1: they cost nothing)",
    "Calculated attributes": "GetCalculatedAttributeForProfile time ÷ SearchProfiles time (1: as cheap as a search)",
}


def chart(results: Results, machine: dict[str, str], date: str, path: Path) -> None:
    """One panel per section: a bar per ratio, labelled with its value, its target drawn as a dashed line
    (green bar: target met, red: missed, grey: no target, shown for comparison)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sections = list(dict.fromkeys(ratio.section for ratio in results.ratios))
    heights = [len([r for r in results.ratios if r.section == s]) for s in sections]
    fig, axes = plt.subplots(
        len(sections),
        1,
        figsize=(10, 1.1 + 0.55 * sum(heights) + 0.5 * len(sections)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, section in zip(axes[:, 0], sections, strict=True):
        ratios = [r for r in results.ratios if r.section == section][::-1]
        values = [r.value for r in ratios]
        colours = [{True: "#2e7d32", False: "#c62828", None: "#9e9e9e"}[r.met] for r in ratios]
        positions = range(len(ratios))
        ax.barh(positions, values, color=colours, height=0.6)
        ax.set_yticks(list(positions), [r.label or r.name for r in ratios], fontsize=9)
        top = max(values + [r.target or 0 for r in ratios])
        uses_log = top / max(min(values), 1e-9) > 40
        if uses_log:
            ax.set_xscale("log")
        for y, ratio in zip(positions, ratios, strict=True):
            label = f"{ratio.value:.3g}" + (f"  (target {ratio.target_text})" if ratio.target is not None else "")
            ax.text(max(ratio.value, ratio.target or 0), y, "  " + label, va="center", fontsize=8)
            if ratio.target is not None:
                ax.plot([ratio.target, ratio.target], [y - 0.4, y + 0.4], color="black", linestyle="--", linewidth=1)
        ax.set_xlim(right=top * (8 if uses_log else 1.6))
        subtitle = SUBTITLES.get(section)
        ax.set_title(section, loc="left", fontsize=10, fontweight="bold")
        if subtitle:
            ax.set_title(subtitle, loc="right", fontsize=8, style="italic")
        ax.tick_params(axis="x", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(
        f"mock_customer_profiles benchmarks, {date}\n{machine['cpu']}, {machine['cores']} cores, "
        f"{machine['python']}, botocore {machine['botocore']}",
        fontsize=10,
    )
    fig.text(
        0.5,
        0.005,
        "green: target met · red: target missed · grey: comparison, no target · dashed line: the target",
        ha="center",
        fontsize=8,
    )
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
