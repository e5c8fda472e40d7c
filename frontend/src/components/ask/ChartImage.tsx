import { useEffect, useState } from 'react';
import { describeError, requestRaw } from '../../api/http';
import { isChartPath } from '../../lib/askExamples';

/**
 * A chart a tool call pointed to, drawn by the server in the user's style. An `<img src>` would
 * carry no bearer token, so the PNG is fetched and shown from an object URL.
 */
export function ChartImage({ path, alt }: { path: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isChartPath(path)) return;
    const controller = new AbortController();
    let objectUrl: string | null = null;
    setUrl(null);
    setError(null);
    requestRaw(path, { accept: 'image/png', signal: controller.signal })
      .then((response) => response.blob())
      .then((blob) => {
        if (controller.signal.aborted) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(describeError(caught));
      });
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path]);

  if (!isChartPath(path)) return null;
  if (error) return <p className="muted small">The chart could not be loaded: {error}</p>;
  if (!url) {
    return (
      <div className="ask-chart placeholder" role="status">
        <span className="spinner" aria-hidden="true" /> Drawing the chart…
      </div>
    );
  }
  return <img className="ask-chart" src={url} alt={alt} />;
}
