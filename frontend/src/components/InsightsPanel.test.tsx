import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Narrative } from '../api/types';
import { InsightsPanel } from './InsightsPanel';

type Written = Pick<Narrative, 'source' | 'insights'> & Partial<Narrative>;

function narrative(insights: Written): Narrative {
  return { cached: false, grounding_rule: '', prompt_version: 'v1', ...insights };
}

describe('InsightsPanel', () => {
  it('says when a model wrote the narrative and lists dropped claims', () => {
    render(<InsightsPanel narrative={narrative({
      source: 'model',
      model: 'pit-llm-1',
      insights: [{ text: 'NOR was 0.022 s faster over the lap.' }],
      dropped_claims: ['PIA reached 330 km/h'],
    })} />);
    expect(screen.getByTestId('insight-source')).toHaveTextContent('Written by a model (pit-llm-1)');
    expect(screen.getAllByRole('listitem')[0]).toHaveTextContent('NOR was 0.022 s faster over the lap.');
    expect(screen.getByText(/1 claim removed/)).toBeInTheDocument();
    expect(screen.getByText('PIA reached 330 km/h')).toBeInTheDocument();
  });

  it('says when the deterministic writer wrote it', () => {
    render(<InsightsPanel narrative={narrative({
      source: 'deterministic',
      insights: [{ text: 'A' }, { text: 'B' }],
      fallback_reason: 'no model configured',
    })} />);
    expect(screen.getByText(/Why not a model: no model configured/)).toBeInTheDocument();
    expect(screen.getByTestId('insight-source')).toHaveTextContent('Written by the deterministic writer');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.queryByText(/removed/)).toBeNull();
  });
});
