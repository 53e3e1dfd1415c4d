//! The two charts, as SVG written by hand: the precision–recall curve and the score
//! distribution, before and after. Meant for a reader who is not a statistician: axes
//! say in words what they measure, the bands are marked, and every bar says its count.

use std::fmt::Write as _;

use redflag_detect::policy::Policy;

use crate::Calibration;
use crate::metrics::{self, Rated};

const BEFORE: &str = "#6b6b6b";
const AFTER: &str = "#d95f02";
const DPRK: &str = "#c0392b";
const LEGIT: &str = "#2e86c1";
const GRID: &str = "#dddddd";

/// The plot area of a chart: where 0..1 on each axis lands.
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn x(&self, share: f64) -> f64 {
        self.left + share.clamp(0.0, 1.0) * self.width
    }
    fn y(&self, share: f64) -> f64 {
        self.top + (1.0 - share.clamp(0.0, 1.0)) * self.height
    }
    fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// The document, its white background and its title, as a heading too.
fn open(width: u32, height: u32, title: &str) -> String {
    let mut svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n\
         <title>{}</title>\n\
         <rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n",
        escape(title)
    );
    text(
        &mut svg,
        40.0,
        30.0,
        "font-size=\"18\" font-weight=\"bold\"",
        title,
    );
    svg
}

/// A text element; the text is redflag's own, escaped all the same.
fn text(svg: &mut String, x: f64, y: f64, attrs: &str, content: &str) {
    let _ = writeln!(
        svg,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" {attrs}>{}</text>",
        escape(content)
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Gridlines and tick labels every 20% on both axes, with the axis titles.
fn axes(svg: &mut String, f: &Frame, x_title: &str, y_title: &str) {
    for k in 0..=5 {
        let share = f64::from(k) / 5.0;
        let (x, y) = (f.x(share), f.y(share));
        let _ = writeln!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{GRID}\"/>\n\
             <line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>",
            f.top,
            f.bottom(),
            f.left,
            f.left + f.width
        );
        let label = format!("{}%", k * 20);
        text(svg, x, f.bottom() + 18.0, "text-anchor=\"middle\"", &label);
        text(svg, f.left - 8.0, y + 4.0, "text-anchor=\"end\"", &label);
    }
    border(svg, f, x_title, y_title);
}

/// The plot area's border and the axis titles: the x title below the tick labels, the y
/// title turned up along the left.
fn border(svg: &mut String, f: &Frame, x_title: &str, y_title: &str) {
    let _ = writeln!(
        svg,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#444\"/>",
        f.left, f.top, f.width, f.height
    );
    text(
        svg,
        f.left + f.width / 2.0,
        f.bottom() + 38.0,
        "text-anchor=\"middle\" font-weight=\"bold\"",
        x_title,
    );
    let (cx, cy) = (f.left - 48.0, f.top + f.height / 2.0);
    let _ = writeln!(
        svg,
        "<text x=\"{cx:.1}\" y=\"{cy:.1}\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 {cx:.1} {cy:.1})\">{}</text>",
        escape(y_title)
    );
}

fn auc_words(auc: Option<f64>) -> String {
    auc.map_or_else(|| "AUC -".to_owned(), |a| format!("AUC {a:.3}"))
}

/// The bands' thresholds, each with the marker shape that shows it on the curves.
fn bands(policy: &Policy) -> [(&'static str, u8, Shape); 3] {
    [
        ("medium", policy.bands.medium, Shape::Circle),
        ("high", policy.bands.high, Shape::Square),
        ("critical", policy.bands.critical, Shape::Diamond),
    ]
}

#[derive(Clone, Copy)]
enum Shape {
    Circle,
    Square,
    Diamond,
}

/// A band's marker centred on (x, y), with a tooltip.
fn marker(svg: &mut String, shape: Shape, (x, y): (f64, f64), fill: &str, stroke: &str, tip: &str) {
    let paint = format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"");
    let tip = escape(tip);
    let _ = match shape {
        Shape::Circle => writeln!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5.5\" {paint}><title>{tip}</title></circle>"
        ),
        Shape::Square => writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" {paint}><title>{tip}</title></rect>",
            x - 5.0,
            y - 5.0
        ),
        Shape::Diamond => writeln!(
            svg,
            "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\" {paint}><title>{tip}</title></polygon>",
            y - 7.0,
            x + 7.0,
            y + 7.0,
            x - 7.0
        ),
    };
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{:.0}%", 100.0 * x))
}

/// Precision against recall at every score threshold, before and after, with the band
/// thresholds marked on both curves and their figures written out beneath.
pub fn pr_curve(cal: &Calibration, policy: &Policy) -> String {
    let (w, h) = (820, 680);
    let mut svg = open(w, h, "Precision and recall at every score threshold");
    for (k, line) in [
        format!(
            "{} labelled subjects ({} dprk, {} legit). Each point of a curve flags everyone at or above one score:",
            cal.dprk + cal.legit,
            cal.dprk,
            cal.legit
        ),
        "higher up, fewer of the flagged are innocent; further right, more of the dprk subjects are caught.".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        text(
            &mut svg,
            40.0,
            52.0 + 17.0 * k as f64,
            "fill=\"#444\"",
            line,
        );
    }
    let f = Frame {
        left: 100.0,
        top: 100.0,
        width: 600.0,
        height: 380.0,
    };
    axes(
        &mut svg,
        &f,
        "Recall: share of the dprk subjects who are flagged",
        "Precision: share of the flagged who are dprk",
    );
    let curves = [
        (
            format!("before: the current policy ({})", auc_words(cal.before.auc)),
            &cal.before,
            BEFORE,
            " stroke-dasharray=\"6 4\"",
            "white",
        ),
        (
            format!(
                "after: the proposed policy, each subject scored by weights fitted without it ({})",
                auc_words(cal.after.auc)
            ),
            &cal.after,
            AFTER,
            "",
            AFTER,
        ),
    ];
    for (name, evaluation, colour, dash, fill) in &curves {
        let points: Vec<String> = metrics::pr_curve(&evaluation.rated)
            .iter()
            .filter_map(|p| {
                p.precision
                    .map(|pr| format!("{:.1},{:.1}", f.x(p.recall), f.y(pr)))
            })
            .collect();
        let _ = writeln!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>",
            points.join(" ")
        );
        for (band, threshold, shape) in bands(policy) {
            let at = metrics::at_threshold(&evaluation.rated, threshold);
            let Some(precision) = at.precision else {
                continue;
            };
            let tip = format!(
                "{}: {band} (score {threshold} or more): {} flagged, precision {:.0}%, recall {:.0}%",
                name.split(':').next().unwrap_or_default(),
                at.flagged,
                100.0 * precision,
                100.0 * at.recall
            );
            marker(
                &mut svg,
                shape,
                (f.x(at.recall), f.y(precision)),
                fill,
                colour,
                &tip,
            );
        }
    }
    let mut y = f.bottom() + 66.0;
    for (name, _, colour, dash, _) in &curves {
        let _ = writeln!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>",
            f.left - 60.0,
            f.left - 30.0
        );
        text(&mut svg, f.left - 22.0, y + 4.0, "", name);
        y += 20.0;
    }
    // The figures at each band, as a small table: band, before, after.
    let columns = [40.0, 250.0, 530.0];
    y += 12.0;
    for (x, head) in columns.iter().zip([
        "where a band begins",
        "before (hollow marks)",
        "after (filled marks)",
    ]) {
        text(&mut svg, *x, y, "font-weight=\"bold\"", head);
    }
    for ((band, threshold, shape), (b, a)) in bands(policy)
        .into_iter()
        .zip(cal.before.bands.iter().zip(&cal.after.bands))
    {
        y += 22.0;
        marker(
            &mut svg,
            shape,
            (columns[0] + 6.0, y - 4.0),
            "white",
            "#333",
            band,
        );
        text(
            &mut svg,
            columns[0] + 18.0,
            y,
            "",
            &format!("{band}: score {threshold} or more"),
        );
        for (x, at) in [(columns[1], &b.at), (columns[2], &a.at)] {
            text(
                &mut svg,
                x,
                y,
                "",
                &format!(
                    "{} flagged: precision {}, recall {}",
                    at.flagged,
                    percent(at.precision),
                    percent(Some(at.recall))
                ),
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// Bins of ten points: 0–9, …, 80–89, and 90–100.
const BINS: usize = 10;

fn bin(score: u8) -> usize {
    usize::from(score / 10).min(BINS - 1)
}

/// How the scores of dprk and legit subjects spread, before and after: one panel each,
/// bars as the share of each group so both are visible however few dprk subjects there
/// are, with the count on every bar and the band thresholds marked.
pub fn distribution(cal: &Calibration, policy: &Policy) -> String {
    let (w, h) = (1000, 490);
    let mut svg = open(w, h, "How the scores of dprk and legit subjects spread");
    text(
        &mut svg,
        40.0,
        52.0,
        "fill=\"#444\"",
        "Each bar is the share of its group with a score in that range; the number above it counts the subjects. Dashed lines: where the bands begin.",
    );
    let legend = [
        (format!("dprk ({} subjects)", cal.dprk), DPRK),
        (format!("legit ({} subjects)", cal.legit), LEGIT),
    ];
    for (k, (label, colour)) in legend.iter().enumerate() {
        let x = 40.0 + 220.0 * k as f64;
        let _ = writeln!(
            svg,
            "<rect x=\"{x:.1}\" y=\"66\" width=\"14\" height=\"14\" fill=\"{colour}\"/>"
        );
        text(&mut svg, x + 20.0, 78.0, "", label);
    }
    for (k, (title, note, rated)) in [
        ("Before: the current policy", "", &cal.before.rated),
        (
            "After: the proposed policy",
            "each subject scored by weights fitted without it",
            &cal.after.rated,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let f = Frame {
            left: 100.0 + 470.0 * k as f64,
            top: 150.0,
            width: 400.0,
            height: 270.0,
        };
        text(
            &mut svg,
            f.left,
            f.top - 40.0,
            "font-weight=\"bold\"",
            title,
        );
        text(
            &mut svg,
            f.left,
            f.top - 24.0,
            "font-size=\"12\" fill=\"#444\"",
            note,
        );
        panel(&mut svg, &f, rated, policy);
    }
    svg.push_str("</svg>\n");
    svg
}

fn panel(svg: &mut String, f: &Frame, rated: &[Rated], policy: &Policy) {
    for k in 0..=4 {
        let share = f64::from(k) / 4.0;
        let y = f.y(share);
        let _ = writeln!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>",
            f.left,
            f.left + f.width
        );
        text(
            svg,
            f.left - 8.0,
            y + 4.0,
            "text-anchor=\"end\"",
            &format!("{}%", k * 25),
        );
    }
    let slot = f.width / BINS as f64;
    for (group, colour, offset, dprk) in [("dprk", DPRK, 0.1, true), ("legit", LEGIT, 0.5, false)] {
        let members: Vec<u8> = rated
            .iter()
            .filter(|r| r.dprk == dprk)
            .map(|r| r.score)
            .collect();
        let mut counts = [0usize; BINS];
        for s in &members {
            counts[bin(*s)] += 1;
        }
        for (b, &n) in counts.iter().enumerate() {
            let share = if members.is_empty() {
                0.0
            } else {
                n as f64 / members.len() as f64
            };
            let x = f.left + slot * (b as f64 + offset);
            let top = f.y(share);
            let (from, to) = (b * 10, if b == BINS - 1 { 100 } else { b * 10 + 9 });
            let _ = writeln!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{group}, scores {from}–{to}: {n} of {} ({:.0}%)</title></rect>",
                slot * 0.4,
                f.bottom() - top,
                members.len(),
                100.0 * share
            );
            if n > 0 {
                text(
                    svg,
                    x + slot * 0.2,
                    top - 3.0,
                    "text-anchor=\"middle\" font-size=\"10\"",
                    &n.to_string(),
                );
            }
        }
    }
    for b in 0..=BINS {
        text(
            svg,
            f.left + slot * b as f64,
            f.bottom() + 16.0,
            "text-anchor=\"middle\" font-size=\"11\"",
            &(b * 10).to_string(),
        );
    }
    for (name, threshold, _) in bands(policy) {
        let x = f.left + f.width * f64::from(threshold) / 100.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>",
            f.top,
            f.bottom()
        );
        text(
            svg,
            x + 3.0,
            f.top - 5.0,
            "font-size=\"11\" fill=\"#333\"",
            name,
        );
    }
    border(svg, f, "score (0–100)", "share of the group");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_fall_in_ten_bins_with_100_in_the_last() {
        assert_eq!(bin(0), 0);
        assert_eq!(bin(9), 0);
        assert_eq!(bin(10), 1);
        assert_eq!(bin(99), 9);
        assert_eq!(bin(100), 9);
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
