//! One group drawn for people: a compliance officer's report or the web UI shows who is
//! tied to whom and through what. The caller fills a [`GroupView`] (from assessments and
//! links); this module writes it as JSON (serde), Graphviz DOT ([`to_dot`]) or an SVG
//! drawn by redflag itself ([`to_svg`]: no Graphviz needed where reports are made).
//!
//! The SVG's layout is deterministic: the same group gives the same picture, byte for
//! byte, so a report can be regenerated and compared. Up to six people sit on a circle;
//! larger groups are laid out by stress majorisation (every tie about one length, people
//! as far apart as the ties between them), which starts from the circle and uses no
//! randomness. It is made for groups of 2 to about 60.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use redflag_model::Band;
use serde::Serialize;

/// A group of linked subjects as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    /// What the picture shows, e.g. "Subjects linked to c-0311".
    pub title: String,
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
}

/// One subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    pub id: String,
    pub name: Option<String>,
    pub score: u8,
    pub band: Band,
    /// The subject the picture was asked for.
    pub focus: bool,
    /// Judged part of a cell (strong ties, or one member's tradecraft).
    pub cell: bool,
}

/// A tie between two subjects (by [`NodeView::id`]), one per pair: the label says all
/// they share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeView {
    pub a: String,
    pub b: String,
    /// What they share, in words ("the same wallet; a street address").
    pub label: String,
    /// Strong (a wallet, a payout account, a second factor) or weak (an address, an
    /// office IP, a résumé template).
    pub strong: bool,
}

/// The band's colour: green to red, each also named in words on the node, so colour is
/// never the only cue.
fn band_colour(band: Band) -> &'static str {
    match band {
        Band::Low => "#5b9b5e",
        Band::Medium => "#e8b83a",
        Band::High => "#e07b39",
        Band::Critical => "#c8373f",
    }
}

const BANDS: [Band; 4] = [Band::Low, Band::Medium, Band::High, Band::Critical];

const FONT: &str = "Helvetica, Arial, sans-serif";

/// A white outline under text, so a label stays legible where a line crosses it.
const HALO: &str = r##"stroke="#fff" stroke-width="3" paint-order="stroke""##;

/// Graphviz DOT for the group: nodes filled by band, strong ties solid and heavier, weak
/// ties dashed, the title as the graph's label.
pub fn to_dot(view: &GroupView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "graph group {{");
    let _ = writeln!(
        out,
        "  label={}; labelloc=t; fontname={}; fontsize=16;",
        dot_quote(&view.title),
        dot_quote(FONT)
    );
    let _ = writeln!(
        out,
        "  node [shape=ellipse, style=filled, fontname={}, fontsize=10];",
        dot_quote(FONT)
    );
    let _ = writeln!(out, "  edge [fontname={}, fontsize=9];", dot_quote(FONT));
    let index = node_index(view);
    for node in unique_nodes(view, &index) {
        let label = format!(
            "{}\n{}\n{} · {}",
            node.name.as_deref().unwrap_or("(no name)"),
            node.id,
            node.score,
            node.band
        );
        let mut attributes = format!(
            "label={}, fillcolor={}",
            dot_quote(&label),
            dot_quote(band_colour(node.band))
        );
        if node.focus {
            attributes.push_str(", penwidth=3");
        }
        if node.cell {
            attributes.push_str(", peripheries=2");
        }
        let _ = writeln!(out, "  {} [{attributes}];", dot_quote(&node.id));
    }
    for edge in drawable_edges(view, &index) {
        let style = if edge.strong {
            "solid, penwidth=2"
        } else {
            "dashed, penwidth=1"
        };
        let _ = writeln!(
            out,
            "  {} -- {} [label={}, style={style}];",
            dot_quote(&edge.a),
            dot_quote(&edge.b),
            dot_quote(&edge.label)
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string: quotes and backslashes escaped (a backslash would otherwise start
/// one of Graphviz's escapes), line breaks as `\n`, other control characters dropped.
fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Node position of each id; the first node of a repeated id wins.
fn node_index(view: &GroupView) -> BTreeMap<&str, usize> {
    let mut index = BTreeMap::new();
    for (i, node) in view.nodes.iter().enumerate() {
        index.entry(node.id.as_str()).or_insert(i);
    }
    index
}

fn unique_nodes<'a>(
    view: &'a GroupView,
    index: &'a BTreeMap<&str, usize>,
) -> impl Iterator<Item = &'a NodeView> {
    view.nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| index.get(n.id.as_str()) == Some(i))
        .map(|(_, n)| n)
}

/// Edges between two drawn nodes; one naming an unknown node or tying a node to itself
/// is left out rather than drawn to nowhere.
fn drawable_edges<'a>(
    view: &'a GroupView,
    index: &'a BTreeMap<&str, usize>,
) -> impl Iterator<Item = &'a EdgeView> {
    view.edges.iter().filter(|e| {
        e.a != e.b && index.contains_key(e.a.as_str()) && index.contains_key(e.b.as_str())
    })
}

/// Canvas geometry, in SVG user units (pixels at 100 %): the width and the height of the
/// drawing between title and legend grow with the group beyond twenty people, so labels
/// keep their room.
const WIDTH: f64 = 960.0;
const HEADER: f64 = 72.0;
const LEGEND: f64 = 124.0;

fn canvas(people: usize) -> (f64, f64) {
    match people {
        0..=6 => (WIDTH, 360.0),
        7..=20 => (WIDTH, 600.0),
        n => (
            WIDTH + 12.0 * (n - 20) as f64,
            600.0 + 10.0 * (n - 20) as f64,
        ),
    }
}
/// Room left and right of the outermost nodes for their labels.
const SIDE_MARGIN: f64 = 110.0;

/// An SVG picture of the group: a title, people as circles coloured by band with their
/// name, id, score and band beneath, ties as lines (solid strong, dashed weak) labelled
/// with what is shared, and a legend. All text is XML-escaped.
pub fn to_svg(view: &GroupView) -> String {
    let index = node_index(view);
    let nodes: Vec<&NodeView> = unique_nodes(view, &index).collect();
    let position_of: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let edges: Vec<(usize, usize, &EdgeView)> = drawable_edges(view, &index)
        .filter_map(|e| {
            Some((
                *position_of.get(e.a.as_str())?,
                *position_of.get(e.b.as_str())?,
                e,
            ))
        })
        .collect();
    let (width, plot_height) = canvas(nodes.len());
    let height = HEADER + plot_height + LEGEND;
    let radius = if nodes.len() > 30 { 13.0 } else { 18.0 };
    let pairs: Vec<(usize, usize)> = edges.iter().map(|&(a, b, _)| (a, b)).collect();
    let points = fit(
        &layout(nodes.len(), &pairs),
        SIDE_MARGIN,
        HEADER + radius + 8.0,
        width - SIDE_MARGIN,
        HEADER + plot_height - radius - 34.0,
    );
    let strong = edges.iter().filter(|(_, _, e)| e.strong).count();

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" font-family="{FONT}">"#
    );
    let _ = writeln!(out, "<title>{}</title>", xml(&view.title));
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        out,
        r##"<text x="24" y="34" font-size="20" font-weight="bold" fill="#222">{}</text>"##,
        xml(&view.title)
    );
    let _ = writeln!(
        out,
        r##"<text x="24" y="56" font-size="13" fill="#555">{} {}, {} {} ({strong} strong, {} weak)</text>"##,
        nodes.len(),
        plural(nodes.len(), "person", "people"),
        edges.len(),
        plural(edges.len(), "tie", "ties"),
        edges.len() - strong
    );

    out.push_str("<g id=\"ties\">\n");
    for &(a, b, edge) in &edges {
        let ((x1, y1), (x2, y2)) = (points[a], points[b]);
        let style = if edge.strong {
            r##"stroke="#333" stroke-width="2.5""##
        } else {
            r##"stroke="#888" stroke-width="1.5" stroke-dasharray="6 4""##
        };
        let _ = writeln!(
            out,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" {style}><title>{}</title></line>"#,
            xml(&format!("{} – {}: {}", edge.a, edge.b, edge.label))
        );
    }
    for &(a, b, edge) in &edges {
        let ((x1, y1), (x2, y2)) = (points[a], points[b]);
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#333" {HALO}>{}</text>"##,
            (x1 + x2) / 2.0,
            (y1 + y2) / 2.0 - 3.0,
            xml(&shorten(&edge.label, 48))
        );
    }
    out.push_str("</g>\n<g id=\"people\">\n");
    for (node, &(x, y)) in nodes.iter().zip(&points) {
        let name = node.name.as_deref().unwrap_or("(no name)");
        let _ = writeln!(
            out,
            "<g><title>{}</title>",
            xml(&format!(
                "{name} ({}): score {}, {}",
                node.id, node.score, node.band
            ))
        );
        if node.cell {
            let _ = writeln!(
                out,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="none" stroke="#c8373f" stroke-width="2" stroke-dasharray="3 2"/>"##,
                radius + 5.0
            );
        }
        let (stroke, stroke_width) = if node.focus {
            ("#111", 4.0)
        } else {
            ("#444", 1.5)
        };
        let _ = writeln!(
            out,
            r#"<circle class="person" cx="{x:.1}" cy="{y:.1}" r="{radius:.1}" fill="{}" stroke="{stroke}" stroke-width="{stroke_width}"/>"#,
            band_colour(node.band)
        );
        let _ = writeln!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" font-size="11" font-weight="bold" text-anchor="middle" fill="#fff">{}</text>"##,
            y + 4.0,
            node.score
        );
        let _ = writeln!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" font-size="12" font-weight="bold" text-anchor="middle" fill="#222" {HALO}>{}</text>"##,
            y + radius + 15.0,
            xml(&shorten(name, 28))
        );
        let _ = writeln!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#555" {HALO}>{} · {}</text>"##,
            y + radius + 29.0,
            xml(&shorten(&node.id, 28)),
            node.band
        );
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    legend(&mut out, width, HEADER + plot_height);
    out.push_str("</svg>\n");
    out
}

fn legend(out: &mut String, width: f64, top: f64) {
    let _ = writeln!(
        out,
        r##"<g id="legend" font-size="12" fill="#333"><line x1="24" y1="{top}" x2="{}" y2="{top}" stroke="#ddd"/>"##,
        width - 24.0
    );
    let row = top + 26.0;
    let mut x = 24.0;
    let _ = writeln!(
        out,
        r#"<text x="{x}" y="{:.1}" font-weight="bold">Risk band</text>"#,
        row + 4.0
    );
    x += 80.0;
    for band in BANDS {
        let _ = writeln!(
            out,
            r##"<circle cx="{x:.1}" cy="{row:.1}" r="7" fill="{}" stroke="#444"/><text x="{:.1}" y="{:.1}">{band}</text>"##,
            band_colour(band),
            x + 12.0,
            row + 4.0
        );
        x += 90.0;
    }
    let ring = x + 30.0;
    let _ = writeln!(
        out,
        r##"<circle cx="{ring:.1}" cy="{row:.1}" r="8" fill="none" stroke="#111" stroke-width="4"/><text x="{:.1}" y="{:.1}">the person in question</text>"##,
        ring + 14.0,
        row + 4.0
    );
    let _ = writeln!(
        out,
        r##"<circle cx="{:.1}" cy="{row:.1}" r="9" fill="none" stroke="#c8373f" stroke-width="2" stroke-dasharray="3 2"/><text x="{:.1}" y="{:.1}">part of a cell</text>"##,
        ring + 180.0,
        ring + 194.0,
        row + 4.0
    );
    let row = top + 58.0;
    let _ = writeln!(
        out,
        r#"<text x="24" y="{:.1}" font-weight="bold">Ties</text>"#,
        row + 4.0
    );
    let _ = writeln!(
        out,
        r##"<line x1="104" y1="{row:.1}" x2="144" y2="{row:.1}" stroke="#333" stroke-width="2.5"/><text x="152" y="{:.1}">strong: a shared wallet, payout account, device or second factor</text>"##,
        row + 4.0
    );
    let row = row + 26.0;
    let _ = writeln!(
        out,
        r##"<line x1="104" y1="{row:.1}" x2="144" y2="{row:.1}" stroke="#888" stroke-width="1.5" stroke-dasharray="6 4"/><text x="152" y="{:.1}">weak: a street address, an IP, a résumé template; common between people who live or work together</text></g>"##,
        row + 4.0
    );
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// At most `max` characters, an ellipsis marking a cut (the full text is in the tooltip).
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut cut: String = s.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// Text for XML content and attributes: the five special characters escaped, and the
/// control characters XML 1.0 does not allow dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Positions in a unit square for `n` nodes tied by `edges`.
fn layout(n: usize, edges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    let circle: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            // From the top, clockwise; two people side by side.
            let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2
                + if n == 2 {
                    std::f64::consts::FRAC_PI_2
                } else {
                    0.0
                };
            (0.5 + 0.4 * angle.cos(), 0.5 + 0.4 * angle.sin())
        })
        .collect();
    if n <= 6 {
        return circle;
    }
    widest_across(stress_layout(circle, edges))
}

/// The layout turned so its longest extent runs across the page (the canvas is wider
/// than tall): a chain of people is drawn from left to right, not squeezed top to bottom.
fn widest_across(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
    let (mut xx, mut yy, mut xy) = (0.0, 0.0, 0.0);
    for &(x, y) in &points {
        let (dx, dy) = (x - mx, y - my);
        xx += dx * dx;
        yy += dy * dy;
        xy += dx * dy;
    }
    // Angle of the principal axis of the points' spread.
    let angle = 0.5 * (2.0 * xy).atan2(xx - yy);
    let (sin, cos) = (-angle).sin_cos();
    points
        .iter()
        .map(|&(x, y)| {
            let (dx, dy) = (x - mx, y - my);
            (dx * cos - dy * sin, dx * sin + dy * cos)
        })
        .collect()
}

/// Stress majorisation (Gansner, Koren and North, 2004): each pair of people is drawn
/// as far apart as the ties between them are long (one tie, one unit; people in separate
/// parts one unit further than the farthest pair), closer pairs weighing more. Every tie
/// comes out about the same length, so a dense cell is not crushed while a lone tie to a
/// neighbour stretches across the page. Starts from the circle; no randomness.
fn stress_layout(mut points: Vec<(f64, f64)>, edges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    const ROUNDS: usize = 300;
    let n = points.len();
    let distances = tie_distances(n, edges);
    let farthest = distances.iter().flatten().copied().fold(1.0, f64::max);
    // Start at about the size the distances ask for.
    for p in &mut points {
        p.0 = (p.0 - 0.5) * farthest * 2.0;
        p.1 = (p.1 - 0.5) * farthest * 2.0;
    }
    for _ in 0..ROUNDS {
        for i in 0..n {
            let (mut total_weight, mut x, mut y) = (0.0, 0.0, 0.0);
            for j in (0..n).filter(|&j| j != i) {
                let wanted = distances[i][j];
                let weight = 1.0 / (wanted * wanted);
                let (dx, dy) = (points[i].0 - points[j].0, points[i].1 - points[j].1);
                let apart = (dx * dx + dy * dy).sqrt().max(1e-9);
                x += weight * (points[j].0 + wanted * dx / apart);
                y += weight * (points[j].1 + wanted * dy / apart);
                total_weight += weight;
            }
            if total_weight > 0.0 {
                points[i] = (x / total_weight, y / total_weight);
            }
        }
    }
    points
}

/// Ties between each pair on the shortest path (breadth-first from each person); pairs
/// in separate parts of the group one more than the longest path.
fn tie_distances(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<f64>> {
    let mut neighbours = vec![Vec::new(); n];
    for &(a, b) in edges {
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    let mut distances = vec![vec![f64::INFINITY; n]; n];
    for (start, row) in distances.iter_mut().enumerate() {
        row[start] = 0.0;
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(x) = queue.pop_front() {
            for &y in &neighbours[x] {
                if row[y].is_infinite() {
                    row[y] = row[x] + 1.0;
                    queue.push_back(y);
                }
            }
        }
    }
    let longest = distances
        .iter()
        .flatten()
        .copied()
        .filter(|d| d.is_finite())
        .fold(1.0, f64::max);
    for d in distances.iter_mut().flatten() {
        if d.is_infinite() {
            *d = longest + 1.0;
        }
    }
    distances
}

/// The points scaled into the box and centred in it, one scale for both axes so a
/// circle stays a circle (a single point in the middle).
fn fit(points: &[(f64, f64)], left: f64, top: f64, right: f64, bottom: f64) -> Vec<(f64, f64)> {
    let span = |values: &mut dyn Iterator<Item = f64>| {
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
    };
    let (min_x, max_x) = span(&mut points.iter().map(|p| p.0));
    let (min_y, max_y) = span(&mut points.iter().map(|p| p.1));
    let scale_for = |extent: f64, room: f64| {
        if extent < 1e-9 {
            f64::INFINITY
        } else {
            room / extent
        }
    };
    let scale = scale_for(max_x - min_x, right - left).min(scale_for(max_y - min_y, bottom - top));
    let scale = if scale.is_finite() { scale } else { 0.0 };
    let (centre_x, centre_y) = ((left + right) / 2.0, (top + bottom) / 2.0);
    let (mid_x, mid_y) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
    points
        .iter()
        .map(|&(x, y)| {
            (
                centre_x + (x - mid_x) * scale,
                centre_y + (y - mid_y) * scale,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    fn node(id: &str, name: Option<&str>, score: u8, band: Band) -> NodeView {
        NodeView {
            id: id.into(),
            name: name.map(Into::into),
            score,
            band,
            focus: false,
            cell: false,
        }
    }

    fn edge(a: &str, b: &str, label: &str, strong: bool) -> EdgeView {
        EdgeView {
            a: a.into(),
            b: b.into(),
            label: label.into(),
            strong,
        }
    }

    const HOSTILE: &str = r#"<Eve & "Mallory" 'x'>"#;

    fn hostile_group() -> GroupView {
        let mut focus = node("c-1", Some(HOSTILE), 97, Band::Critical);
        focus.focus = true;
        focus.cell = true;
        GroupView {
            title: format!("Linked to {HOSTILE}"),
            nodes: vec![
                focus,
                node("c-2\\\"]; evil", None, 12, Band::Low),
                node("c-3", Some("Line\nbreak\u{0}"), 64, Band::High),
            ],
            edges: vec![
                edge("c-1", "c-2\\\"]; evil", "the same wallet <tron:T9>", true),
                edge("c-1", "c-3", "a street address & 'office' IP", false),
            ],
        }
    }

    /// A group of `n` in a ring with a few chords, the shape of a cell's ties.
    fn ring(n: usize) -> GroupView {
        let bands = [Band::Low, Band::Medium, Band::High, Band::Critical];
        GroupView {
            title: format!("A ring of {n}"),
            nodes: (0..n)
                .map(|i| {
                    node(
                        &format!("s-{i}"),
                        Some(&format!("Person {i}")),
                        (i * 7 % 100) as u8,
                        bands[i % 4],
                    )
                })
                .collect(),
            edges: (0..n)
                .map(|i| {
                    edge(
                        &format!("s-{i}"),
                        &format!("s-{}", (i + 1) % n),
                        "wallet",
                        i % 3 == 0,
                    )
                })
                .chain((0..n).step_by(5).map(|i| {
                    edge(
                        &format!("s-{i}"),
                        &format!("s-{}", (i + n / 2) % n),
                        "address",
                        false,
                    )
                }))
                .collect(),
        }
    }

    /// Parses the whole document, failing on any error; returns every element's name.
    fn elements(svg: &str) -> Vec<String> {
        let mut reader = Reader::from_str(svg);
        let mut names = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    for attribute in e.attributes() {
                        let attribute = attribute.unwrap();
                        attribute.unescape_value().unwrap();
                    }
                    names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                }
                Ok(Event::Text(t)) => {
                    t.decode().unwrap();
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
            }
        }
        names
    }

    fn circles(svg: &str) -> Vec<(f64, f64)> {
        let attribute = |tag: &str, name: &str| -> f64 {
            let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            let end = start + tag[start..].find('"').unwrap();
            tag[start..end].parse().unwrap()
        };
        svg.lines()
            .filter(|l| l.starts_with("<circle class=\"person\""))
            .map(|l| (attribute(l, "cx"), attribute(l, "cy")))
            .collect()
    }

    #[test]
    fn the_svg_is_well_formed_and_escapes_every_text() {
        let svg = to_svg(&hostile_group());
        let names = elements(&svg);
        assert_eq!(names.first().map(String::as_str), Some("svg"));
        assert!(names.iter().filter(|n| *n == "circle").count() >= 3);
        assert!(svg.contains("&lt;Eve &amp; &quot;Mallory&quot; &apos;x&apos;&gt;"));
        assert!(!svg.contains("<Eve"));
        assert!(svg.contains("the same wallet &lt;tron:T9&gt;"));
        assert!(!svg.contains('\u{0}'));
        assert!(svg.contains("Line break"));
    }

    #[test]
    fn the_svg_shows_bands_ties_and_a_legend() {
        let svg = to_svg(&hostile_group());
        assert!(svg.contains(band_colour(Band::Critical)));
        for band in ["low", "medium", "high", "critical"] {
            assert!(svg.contains(&format!(">{band}</text>")), "{band}");
        }
        assert!(svg.contains("3 people, 2 ties (1 strong, 1 weak)"));
        assert_eq!(
            svg.matches("<line x1").count() - 3,
            2,
            "two ties and the legend's three lines"
        );
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
        assert!(svg.contains("the person in question"));
        assert!(svg.contains("part of a cell"));
        assert!(svg.contains("(no name)"));
    }

    #[test]
    fn drawings_are_deterministic() {
        for group in [hostile_group(), ring(2), ring(5), ring(12), ring(60)] {
            assert_eq!(to_svg(&group), to_svg(&group));
            assert_eq!(to_dot(&group), to_dot(&group));
        }
    }

    #[test]
    fn large_groups_are_spread_over_the_canvas() {
        for n in [2, 3, 7, 25, 60] {
            let svg = to_svg(&ring(n));
            elements(&svg);
            let points = circles(&svg);
            assert_eq!(points.len(), n);
            let (width, plot_height) = canvas(n);
            for &(x, y) in &points {
                assert!(
                    (0.0..=width).contains(&x) && (HEADER..=HEADER + plot_height).contains(&y),
                    "{x},{y}"
                );
            }
            let closest = points
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    points[i + 1..]
                        .iter()
                        .map(move |b| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())
                })
                .fold(f64::INFINITY, f64::min);
            assert!(closest > 26.0, "{n} people: two are {closest:.1} apart");
        }
    }

    #[test]
    fn dot_quotes_every_string_and_draws_each_tie() {
        let dot = to_dot(&hostile_group());
        assert!(dot.starts_with("graph group {\n"));
        assert!(dot.ends_with("}\n"));
        assert!(dot.contains(r#""c-2\\\"]; evil""#));
        assert!(dot.contains(r#"label="<Eve & \"Mallory\" 'x'>\nc-1\n97 · critical""#));
        assert!(dot.contains(r#"label="Line\nbreak\n"#));
        assert_eq!(dot.matches(" -- ").count(), 2);
        assert!(dot.contains("style=dashed"));
        assert!(dot.contains("penwidth=3"));
        assert!(dot.contains("peripheries=2"));
        // Outside quoted strings, braces balance and no statement runs over a line.
        let mut depth = 0i32;
        for line in dot.lines() {
            let mut quoted = false;
            let mut escaped = false;
            for c in line.chars() {
                match (quoted, escaped, c) {
                    (true, false, '\\') => escaped = true,
                    (true, true, _) => escaped = false,
                    (_, false, '"') => quoted = !quoted,
                    (false, _, '{') => depth += 1,
                    (false, _, '}') => depth -= 1,
                    _ => {}
                }
            }
            assert!(!quoted, "unterminated string: {line}");
        }
        assert_eq!(depth, 0);
    }

    #[test]
    fn ties_to_unknown_people_and_repeated_people_are_left_out() {
        let mut group = hostile_group();
        group.edges.push(edge("c-1", "c-404", "phone", true));
        group.edges.push(edge("c-3", "c-3", "itself", true));
        group
            .nodes
            .push(node("c-3", Some("Duplicate"), 1, Band::Low));
        let svg = to_svg(&group);
        elements(&svg);
        assert!(!svg.contains("c-404"));
        assert!(!svg.contains("Duplicate"));
        assert_eq!(circles(&svg).len(), 3);
        let dot = to_dot(&group);
        assert_eq!(dot.matches(" -- ").count(), 2);
        assert!(!dot.contains("Duplicate"));
    }

    #[test]
    fn empty_and_single_groups_still_draw() {
        let empty = GroupView {
            title: "Nobody".into(),
            nodes: Vec::new(),
            edges: Vec::new(),
        };
        elements(&to_svg(&empty));
        assert_eq!(
            to_dot(&empty).matches('[').count(),
            2,
            "node and edge defaults only"
        );
        let one = GroupView {
            nodes: vec![node("c-1", Some("Alone"), 5, Band::Low)],
            ..empty
        };
        let svg = to_svg(&one);
        elements(&svg);
        assert!(svg.contains("1 person, 0 ties"));
    }

    #[test]
    fn json_names_fields_as_the_struct_does() {
        let json = redflag_model::serde_json::to_value(hostile_group()).unwrap();
        assert_eq!(json["nodes"][0]["band"], "critical");
        assert_eq!(json["nodes"][0]["focus"], true);
        assert_eq!(json["edges"][1]["strong"], false);
        assert_eq!(
            json["nodes"][1]["name"],
            redflag_model::serde_json::Value::Null
        );
    }
}
