import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';

export interface Tab {
  id: string;
  label: string;
  render: () => ReactNode;
}

/**
 * WAI-ARIA tabs whose choice lives in the URL (`?tab=pace`), so a tab can be linked to and the
 * back button returns to it. Only the chosen panel is rendered: each loads its own data.
 */
export function Tabs({ tabs, label }: { tabs: Tab[]; label: string }) {
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const current = tabs.find((t) => t.id === requested) ?? tabs[0];
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});

  function choose(id: string) {
    const next = new URLSearchParams(params);
    next.set('tab', id);
    setParams(next, { replace: true });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = tabs.findIndex((t) => t.id === current.id);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const target = tabs[(moves[event.key] + tabs.length) % tabs.length];
    choose(target.id);
    buttons.current[target.id]?.focus();
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list" onKeyDown={onKeyDown}>
        {tabs.map((tab) => {
          const selected = tab.id === current.id;
          return (
            <button
              key={tab.id}
              ref={(element) => {
                buttons.current[tab.id] = element;
              }}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={`panel-${tab.id}`}
              tabIndex={selected ? 0 : -1}
              className={selected ? 'tab active' : 'tab'}
              onClick={() => choose(tab.id)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`} className="tab-panel">
        {current.render()}
      </div>
    </div>
  );
}
