/**
 * A chain of transmission drawn with Cytoscape.js: one node per case (its number), one arrow per link from infector
 * to infectee; a link an investigator confirmed is solid, an inferred one dashed and labelled with its relative
 * likelihood. The case the page is about is drawn larger and in red. Laid out top-down from the chain's roots.
 */
import { useEffect, useRef } from 'react';
import cytoscape from 'cytoscape';
import { percentOf } from './workbench.ts';

export interface GraphCase { id: number; caseNo: string }
export interface GraphLink { infector: number; infectee: number; byInvestigator: boolean; likelihood: number | null }

export function ChainGraph({ cases, links, roots, focus, height }: { cases: GraphCase[]; links: GraphLink[]; roots: number[]; focus: number; height: number }) {
  const el = useRef<HTMLDivElement>(null);
  // A link is drawn only between cases drawn: one whose end is missing would stop the whole graph.
  const drawn = new Set(cases.map((c) => c.id));
  links = links.filter((l) => drawn.has(l.infector) && drawn.has(l.infectee));
  useEffect(() => {
    if (!el.current) return;
    const cy = cytoscape({
      container: el.current,
      elements: [
        ...cases.map((c) => ({ data: { id: `c${c.id}`, label: c.caseNo, focus: c.id === focus ? 1 : 0, root: roots.includes(c.id) ? 1 : 0 } })),
        ...links.map((l) => ({
          data: { id: `l${l.infector}-${l.infectee}`, source: `c${l.infector}`, target: `c${l.infectee}`, label: l.likelihood === null ? '' : percentOf(l.likelihood) },
          classes: l.byInvestigator ? 'confirmed' : 'inferred',
        })),
      ],
      style: [
        // A case number on a white ground, so an arrow passing under it never hides it (a narrow screen packs them close).
        {
          selector: 'node', style: {
            label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4, width: 18, height: 18, 'background-color': '#64748b', color: '#1f2937',
            'text-background-color': '#fff', 'text-background-opacity': 0.9, 'text-background-padding': '2px', 'text-background-shape': 'roundrectangle',
            'z-index-compare': 'manual', 'z-index': 1,
          },
        },
        // A root's arrows leave downwards: its number goes above it, out of their way.
        { selector: 'node[root = 1]', style: { 'text-valign': 'top', 'text-margin-y': -4 } },
        { selector: 'node[focus = 1]', style: { width: 26, height: 26, 'background-color': '#c62828', 'font-weight': 'bold' } },
        // A likelihood by the arrow's head (the infectee it is about), not mid-way where a root's arrows meet, and arrows
        // drawn over the nodes' labels: a likelihood is never hidden under a case number or another likelihood.
        {
          selector: 'edge', style: {
            width: 2, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-label': 'data(label)', 'target-text-offset': 26, 'font-size': 10,
            'text-background-color': '#fff', 'text-background-opacity': 1, 'text-background-padding': '1px', 'z-index-compare': 'manual', 'z-index': 2,
          },
        },
        { selector: 'edge.confirmed', style: { 'line-color': '#1f2937', 'target-arrow-color': '#1f2937' } },
        { selector: 'edge.inferred', style: { 'line-style': 'dashed', 'line-color': '#94a3b8', 'target-arrow-color': '#94a3b8' } },
      ],
      layout: { name: 'breadthfirst', directed: true, roots: roots.map((r) => `c${r}`), padding: 16, spacingFactor: 1.1 },
      // A small chain is not blown up to fill the frame (its labels would crowd the arrows).
      maxZoom: 1.4,
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    return () => cy.destroy();
  }, [cases, links, roots, focus]);
  return <div ref={el} style={{ width: '100%', height }} data-testid="chain-graph" data-nodes={cases.length} data-links={links.length} data-confirmed={links.filter((l) => l.byInvestigator).length} />;
}
