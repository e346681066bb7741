/**
 * A chain of transmission drawn with Cytoscape.js: one node per case (its number), one arrow per link from infector
 * to infectee; a link an investigator confirmed is solid, an inferred one dashed and labelled with its relative
 * likelihood. The case the page is about is drawn larger and in red. Laid out top-down from the chain's roots.
 *
 * The cluster's exposure events are nodes of their own (an amber diamond with the event's name), as Go.Data draws
 * them: a thin arrow from each case infectious there to the event, and one from the event to each case infected there
 * (`exposedAt`). A link from one of the event's sources to a case infected there runs through the event: its second
 * half carries the link's style and likelihood. A case infected at an event by no known case has the event's thin
 * arrow alone.
 */
import { useEffect, useRef } from 'react';
import cytoscape from 'cytoscape';
import { percentOf, rankCount } from './workbench.ts';

export interface GraphCase { id: number; caseNo: string }
export interface GraphLink { infector: number; infectee: number; byInvestigator: boolean; likelihood: number | null }
/** An exposure event of the cluster: its key, name and the cases infectious there. */
export interface GraphEvent { key: string; name: string; sources: number[] }

interface Props {
  cases: GraphCase[]; links: GraphLink[]; roots: number[]; focus: number; height: number;
  events?: GraphEvent[]; exposedAt?: { caseId: number; event: string }[];
}

/** Screen pixels a rank of the layout takes at least: a short arrow's likelihood stays clear of the case number above it. */
const RANK_PX = 110;

export function ChainGraph({ cases, links, roots, focus, height, events = [], exposedAt = [] }: Props) {
  const el = useRef<HTMLDivElement>(null);
  // A link is drawn only between cases drawn: one whose end is missing would stop the whole graph.
  const drawn = new Set(cases.map((c) => c.id));
  links = links.filter((l) => drawn.has(l.infector) && drawn.has(l.infectee));
  const eventOf = new Map(exposedAt.filter((x) => drawn.has(x.caseId) && events.some((e) => e.key === x.event)).map((x) => [x.caseId, x.event]));
  const shown = events.filter((e) => [...eventOf.values()].includes(e.key));
  // A link from a source of the event its infectee was infected at runs through that event.
  const through = (l: GraphLink) => { const e = eventOf.get(l.infectee); return e !== undefined && shown.find((x) => x.key === e)!.sources.includes(l.infector); };
  // The graph's nodes and edges, built once: drawn by Cytoscape, and counted in ranks for the frame's height.
  const eventId = (key: string) => `e${shown.findIndex((e) => e.key === key)}`;
  const linkInto = new Map(links.filter(through).map((l) => [l.infectee, l]));
  const sourceEdges = shown.flatMap((e) => e.sources.filter((id) => drawn.has(id) && eventOf.get(id) !== e.key).map((id) => ({ data: { id: `s${id}-${eventId(e.key)}`, source: `c${id}`, target: eventId(e.key), label: '' }, classes: 'source' })));
  const fed = new Set(sourceEdges.map((x) => x.data.target));
  const nodes = [
    ...cases.map((c) => ({ data: { id: `c${c.id}`, label: c.caseNo, focus: c.id === focus ? 1 : 0, root: roots.includes(c.id) ? 1 : 0 } })),
    ...shown.map((e) => ({ data: { id: eventId(e.key), label: e.name, root: fed.has(eventId(e.key)) ? 0 : 1 }, classes: 'event' })),
  ];
  const edges = [
    ...sourceEdges,
    ...[...eventOf].map(([id, key]) => {
      const l = linkInto.get(id);
      return {
        data: { id: `x${eventId(key)}-${id}`, source: eventId(key), target: `c${id}`, label: l?.likelihood == null ? '' : percentOf(l.likelihood) },
        classes: l === undefined ? 'exposure' : l.byInvestigator ? 'confirmed' : 'inferred',
      };
    }),
    ...links.filter((l) => !through(l)).map((l) => ({
      data: { id: `l${l.infector}-${l.infectee}`, source: `c${l.infector}`, target: `c${l.infectee}`, label: l.likelihood === null ? '' : percentOf(l.likelihood) },
      classes: l.byInvestigator ? 'confirmed' : 'inferred',
    })),
  ];
  // Taller than asked when the chain is deep: each rank at least RANK_PX (the layout spreads the ranks over the frame).
  const ranks = rankCount(nodes.map((n) => n.data.id), edges.map((e) => e.data));
  const frame = Math.max(height, ranks * RANK_PX + 40);
  useEffect(() => {
    if (!el.current) return;
    const cy = cytoscape({
      container: el.current,
      elements: [...nodes, ...edges],
      style: [
        // A case number on a white ground, over the arrows: one passing under it never hides it (a narrow screen packs them close).
        {
          selector: 'node', style: {
            label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, width: 18, height: 18, 'background-color': '#64748b', color: '#1f2937',
            'text-background-color': '#fff', 'text-background-opacity': 0.9, 'text-background-padding': '2px', 'text-background-shape': 'roundrectangle',
            'z-index-compare': 'manual', 'z-index': 3,
          },
        },
        // A root's arrows leave downwards: its number goes above it, out of their way.
        { selector: 'node[root = 1]', style: { 'text-valign': 'top', 'text-margin-y': -4 } },
        { selector: 'node[focus = 1]', style: { width: 26, height: 26, 'background-color': '#c62828', 'font-weight': 'bold' } },
        // A likelihood by the arrow's head (the infectee it is about), not mid-way where a root's arrows meet. Nodes and
        // their numbers are drawn over the arrows (an arrow leaving straight down passes under its case's number, not
        // through it); the ranks are far enough apart (RANK_PX) that a likelihood does not reach the number above it.
        {
          selector: 'edge', style: {
            width: 2, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-label': 'data(label)', 'target-text-offset': 26, 'font-size': 10,
            'text-background-color': '#fff', 'text-background-opacity': 1, 'text-background-padding': '1px', 'z-index-compare': 'manual', 'z-index': 2,
          },
        },
        { selector: 'edge.confirmed', style: { 'line-color': '#1f2937', 'target-arrow-color': '#1f2937' } },
        { selector: 'edge.inferred', style: { 'line-style': 'dashed', 'line-color': '#94a3b8', 'target-arrow-color': '#94a3b8' } },
        // An event: an amber diamond, its name (cut short on a narrow screen) beside it, out of the way of its arrows,
        // which come from above and leave below.
        {
          selector: 'node.event', style: {
            shape: 'diamond', width: 22, height: 22, 'background-color': '#d97706', color: '#92400e', 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': 6, 'text-margin-y': 0,
            'text-wrap': 'ellipsis', 'text-max-width': '120px',
          },
        },
        { selector: 'edge.source, edge.exposure', style: { width: 1, 'line-color': '#d97706', 'target-arrow-color': '#d97706', 'arrow-scale': 0.8 } },
      ],
      layout: { name: 'breadthfirst', directed: true, roots: [...roots.map((r) => `c${r}`), ...shown.map((e) => eventId(e.key)).filter((id) => !fed.has(id))], padding: 16, spacingFactor: 1.1 },
      // A small chain is not blown up to fill the frame (its labels would crowd the arrows).
      maxZoom: 1.4,
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    return () => cy.destroy();
  }, [cases, links, roots, focus, events, exposedAt, frame]);
  // data-nodes counts the cases and data-links the links between them (through an event or not); data-events the events drawn.
  return <div ref={el} style={{ width: '100%', height: frame }} data-ranks={ranks} data-testid="chain-graph" data-nodes={cases.length} data-links={links.length} data-confirmed={links.filter((l) => l.byInvestigator).length} data-events={shown.length} />;
}
