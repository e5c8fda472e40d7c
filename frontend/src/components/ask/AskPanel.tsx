import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { askWithProgress } from '../../api/askStream';
import { ask } from '../../api/endpoints';
import type { SessionKey } from '../../api/endpoints';
import type { AskAnswer } from '../../api/types';
import { Section } from '../Section';
import { ErrorNotice, Loading } from '../Status';
import { AnswerCard } from './AnswerCard';
import { PendingAnswer, withResult } from './PendingAnswer';
import type { Pending } from './PendingAnswer';

const MAX_QUESTION = 500;

/** Keeps which conversation is open in the URL (`?conversation=`), so a reload or a link returns to it. */
function useConversationParam(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const set = (id: string | null) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (id) next.set('conversation', id);
      else next.delete('conversation');
      return next;
    }, { replace: true });
  };
  return [params.get('conversation'), set];
}

/**
 * Questions about this session, answered from the same tools the analyses use: every number is
 * checked against what the tools returned, and each answer says who wrote it and what it rests on.
 */
export function AskPanel({ sessionKey, examples }: { sessionKey: SessionKey; examples: string[] }) {
  const [conversationId, setConversationId] = useConversationParam();
  const [loadedId, setLoadedId] = useState<string | null>(null);
  const [answers, setAnswers] = useState<AskAnswer[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [reopening, setReopening] = useState(false);
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [failed, setFailed] = useState<{ question: string; error: unknown } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const running = useRef<AbortController | null>(null);
  const inputId = useId();

  useEffect(() => () => running.current?.abort(), []);

  // Reopen the conversation the URL names when the URL changes to one not already on screen.
  // The URL follows our own changes a render later, so the comparison is with a ref, not state.
  const shown = useRef<string | null>(null);
  const show = (id: string | null) => {
    shown.current = id;
    setLoadedId(id);
  };
  useEffect(() => {
    if (!conversationId || conversationId === shown.current) return;
    const controller = new AbortController();
    setLoadError(null);
    setReopening(true);
    ask.conversation(conversationId, controller.signal)
      .then((conversation) => {
        setAnswers(conversation.answers);
        show(conversation.id);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoadError(error);
      })
      .finally(() => setReopening(false));
    return () => {
      controller.abort();
      setReopening(false);
    };
  }, [conversationId]);

  async function submit(question: string) {
    const text = question.trim();
    if (!text || pending) return;
    const controller = new AbortController();
    running.current = controller;
    setFailed(null);
    setPending({ question: text, calls: [], partial: '', waitingWithoutProgress: false });
    setAnnouncement('Working on your question.');
    const update = (change: (p: Pending) => Pending) => setPending((p) => (p ? change(p) : p));
    try {
      const answer = await askWithProgress(
        {
          question: text,
          context: { year: sessionKey.year, event: sessionKey.event, session: sessionKey.session },
          conversation_id: loadedId,
        },
        {
          onToolCall: (call) => {
            update((p) => ({ ...p, calls: [...p.calls, call] }));
            setAnnouncement(`Looking up ${call.name}.`);
          },
          onToolResult: (record) => update((p) => ({ ...p, calls: withResult(p.calls, record) })),
          onPartial: (partial) => update((p) => ({ ...p, partial })),
          onFallback: () => update((p) => ({ ...p, waitingWithoutProgress: true })),
        },
        controller.signal,
      );
      setAnswers((previous) => (answer.conversation_id === loadedId ? [...previous, answer] : [answer]));
      show(answer.conversation_id);
      setConversationId(answer.conversation_id);
      setDraft('');
      setAnnouncement('The answer is ready.');
    } catch (error) {
      if (controller.signal.aborted) return;
      setFailed({ question: text, error });
      setAnnouncement('');
    } finally {
      if (running.current === controller) running.current = null;
      setPending(null);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit(draft);
  }

  function startOver() {
    setAnswers([]);
    show(null);
    setConversationId(null);
    setFailed(null);
    setLoadError(null);
  }

  const newestFirst = [...answers].reverse();
  return (
    <Section
      title="Ask about this session"
      className="ask-panel"
      actions={<Link to="/conversations" className="button ghost small">All conversations</Link>}
    >
      <p className="muted small">Answers come from the same computed facts as the charts: every
        number is checked against what the tools returned.</p>
      <form className="ask-form" onSubmit={onSubmit}>
        <label htmlFor={inputId} className="visually-hidden">Your question</label>
        <input
          id={inputId}
          type="text"
          value={draft}
          maxLength={MAX_QUESTION}
          placeholder="Ask about this session, e.g. who was fastest?"
          autoComplete="off"
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button primary" disabled={!draft.trim() || pending !== null}>
          Ask
        </button>
      </form>
      <div className="ask-examples" role="group" aria-label="Example questions">
        {examples.map((example) => (
          // aria-disabled, not disabled: a disabled button drops the keyboard focus it has.
          <button key={example} type="button" className="hl-chip ask-example" aria-disabled={pending !== null}
            onClick={() => { if (!pending) { setDraft(example); void submit(example); } }}>
            {example}
          </button>
        ))}
      </div>
      <p className="visually-hidden" aria-live="polite">{announcement}</p>
      {failed && (
        <ErrorNotice error={failed.error} title="No answer this time" onRetry={() => void submit(failed.question)} />
      )}
      {loadError !== null && (
        <>
          <ErrorNotice error={loadError} title="Could not reopen that conversation" />
          <button type="button" className="button secondary small" onClick={startOver}>Start a new conversation</button>
        </>
      )}
      {reopening && <Loading label="Loading the conversation…" />}
      <div className="ask-thread">
        {pending && <PendingAnswer pending={pending} />}
        {newestFirst.map((answer) => <AnswerCard key={answer.answer_id} answer={answer} />)}
      </div>
      {answers.length > 0 && !pending && (
        <button type="button" className="button ghost small" onClick={startOver}>New conversation</button>
      )}
    </Section>
  );
}
