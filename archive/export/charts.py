"""The timeline of incidents by month, as plain data for a server-rendered SVG (the statistics page
and the PDF; templates/charts/_timeline.html). No script: templates only draw what is computed here.

Only the period with incidents is drawn: a stretch of FOLD_MONTHS or more without any is folded
into a break in the axis (and named), shorter ones stay as months with no bar, so that a pause is
still seen as one. The axis labels are spaced for the width the chart is drawn at: the interval
between them is the shortest of INTERVALS that leaves room for a label, and any label that would
still touch its neighbour (the first of a stretch after a break) is left out.
"""
from archive.export import text_metrics
from archive.search.results import MONTHS, month_label

WIDTHS = {"wide": 960, "narrow": 340}   # px: a desktop's main column, a phone's 390 px less margins
HEIGHT = 200
PADDING = {"left": 34, "right": 16, "top": 10, "bottom": 40}
FOLD_MONTHS = 12      # empty months in a row that are folded away
FOLD_PX = 16          # the width of a fold
MAX_BAR = 44          # px: three months should not look like three walls
AXIS_FONT = 11        # px, as templates/charts/_timeline.html draws the labels
LABEL_GAP = 8         # px at least between two labels
INTERVALS = (1, 2, 3, 6, 12, 24, 60, 120)   # months between labels


def label_width():
    """The widest a label can be: its month ("May") or its year ("2021"), one above the other."""
    return max(text_metrics.width(text, AXIS_FONT) for text in [name[:3] for name in MONTHS] + ["2088"])


def timeline(months, width=WIDTHS["wide"], height=HEIGHT):
    """{'width', 'height', 'bars': [...], 'folds': [...], 'labels': [...], 'ticks': [...], ...} for
    [{month: 'YYYY-MM', count}] (months without incidents may be left out), or None if none has any."""
    counts = {_number(m["month"]): m["count"] for m in months if m["count"]}
    if not counts:
        return None
    runs = _runs(sorted(counts))
    plot_w = width - PADDING["left"] - PADDING["right"]
    plot_h = height - PADDING["top"] - PADDING["bottom"]
    baseline = PADDING["top"] + plot_h
    step = (plot_w - FOLD_PX * (len(runs) - 1)) / sum(last - first + 1 for first, last in runs)
    top = max(counts.values())
    bars, folds, x = [], [], PADDING["left"]
    for number, (first, last) in enumerate(runs):
        if number:
            folds.append({"x": round(x + FOLD_PX / 2, 1), "first": _label(runs[number - 1][1] + 1),
                          "last": _label(first - 1)})
            x += FOLD_PX
        for month in range(first, last + 1):
            count, bar_w = counts.get(month, 0), min(step * 0.8, MAX_BAR)
            h = plot_h * count / top
            bars.append({"month": _key(month), "label": _label(month), "count": count, "run_start": month == first,
                         "centre": round(x + step / 2, 1), "x": round(x + (step - bar_w) / 2, 1),
                         "width": round(bar_w, 1), "y": round(baseline - h, 1), "height": round(h, 1)})
            x += step
    return {"width": width, "height": height, "bars": bars, "folds": folds, "baseline": baseline,
            "left": PADDING["left"], "right": width - PADDING["right"], "labels": axis_labels(bars, step, width),
            "ticks": [{"count": n, "y": round(baseline - plot_h * n / top, 1)} for n in sorted({0, top // 2, top})
                      if n or top == 0]}


def axis_labels(bars, step, width):
    """[{x, month, year}] under the bars: every `interval` months (January and its multiples) and
    at the start of each stretch, the year on a second line where it is new; never two closer
    than a label's width and LABEL_GAP, never past the chart's edges."""
    label_w = label_width()
    wanted = label_w + LABEL_GAP
    interval = next((n for n in INTERVALS if n * step >= wanted), INTERVALS[-1])
    labels, right_edge, last_year = [], -LABEL_GAP, None
    for bar in bars:
        number = _number(bar["month"])
        if not (bar["run_start"] or number % interval == 0):
            continue
        left = bar["centre"] - label_w / 2
        if left < right_edge + LABEL_GAP or left < 0 or left + label_w > width:
            continue
        year = bar["month"][:4]
        labels.append({"x": bar["centre"], "month": bar["label"][:3],
                       "year": year if year != last_year or bar["run_start"] else ""})
        right_edge, last_year = left + label_w, year
    return labels


def _runs(numbers):
    """[(first, last)] month numbers of the stretches to draw: months with incidents, joined
    across gaps shorter than FOLD_MONTHS."""
    runs = [[numbers[0], numbers[0]]]
    for number in numbers[1:]:
        if number - runs[-1][1] - 1 >= FOLD_MONTHS:
            runs.append([number, number])
        else:
            runs[-1][1] = number
    return [tuple(run) for run in runs]


def _number(key):
    """'2021-11' -> months since year 0, so that a difference counts months."""
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def _key(number):
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _label(number):
    return month_label(number // 12, number % 12 + 1)
