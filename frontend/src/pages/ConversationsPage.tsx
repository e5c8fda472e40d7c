import { useState } from 'react';
import { ask } from '../api/endpoints';
import type { ConversationSummary } from '../api/types';
import { AnswerCard } from '../components/ask/AnswerCard';
import { Async } from '../components/Section';
import { ErrorNotice, ListStatus } from '../components/Status';
import { formatDateTime } from '../lib/format';
import { useConfirmedDelete } from '../lib/useConfirmedDelete';
import { useAsync } from '../lib/useAsync';

function ConversationAnswers({ id }: { id: string }) {
  const conversation = useAsync((signal) => ask.conversation(id, signal), [id]);
  return (
    <Async state={conversation} what="the conversation">
      {({ answers }) => (
        answers.length === 0
          ? <p className="muted">No answers in this conversation.</p>
          : <div className="ask-thread">{answers.map((answer) => <AnswerCard key={answer.answer_id} answer={answer} />)}</div>
      )}
    </Async>
  );
}

function ConversationRow({ item, onDeleted }: { item: ConversationSummary; onDeleted: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const { deleting, error, confirmAndDelete } = useConfirmedDelete(
    'Delete this conversation and its answers? This cannot be undone.',
    () => ask.removeConversation(item.id),
    () => onDeleted(item.id),
  );
  const panelId = `conversation-${item.id}`;

  return (
    <li className="card conversation-row">
      <div className="conversation-head">
        <div className="conversation-main">
          <h2 className="conversation-title">{item.title}</h2>
          <p className="muted small">
            {item.answers} answer{item.answers === 1 ? '' : 's'} · last asked {formatDateTime(item.updated_at)}
          </p>
        </div>
        <div className="report-actions">
          <button type="button" className="button secondary small" aria-expanded={open} aria-controls={panelId}
            aria-label={`${open ? 'Close' : 'Open'} ${item.title}`} onClick={() => setOpen((value) => !value)}>
            {open ? 'Close' : 'Open'}
          </button>
          <button type="button" className="button ghost danger small" onClick={() => void confirmAndDelete()} disabled={deleting}
            aria-label={`Delete ${item.title}`}>
            {deleting ? 'Deleting…' : 'Delete'}
          </button>
        </div>
      </div>
      {error !== null && <ErrorNotice error={error} title="That did not work" />}
      <div id={panelId} hidden={!open}>
        {open && <ConversationAnswers id={item.id} />}
      </div>
    </li>
  );
}

/** The user's questions and their answers, newest first; deleting one removes it for good. */
export function ConversationsPage() {
  const list = useAsync((signal) => ask.conversations(signal), []);
  const [deleted, setDeleted] = useState<Set<string>>(new Set());
  const items = (list.data?.items ?? []).filter((item) => !deleted.has(item.id));

  return (
    <main id="main" className="page">
      <header className="page-header">
        <h1>Conversations</h1>
        <p className="lead">Questions you asked about sessions, with their answers and the tool
          calls they rest on.</p>
      </header>
      <ListStatus state={list} what="your conversations" isEmpty={items.length === 0}
        empty="No conversations yet. Open a session and ask a question about it." />
      {items.length > 0 && (
        <ul className="report-list" aria-label="Conversations">
          {items.map((item) => (
            <ConversationRow key={item.id} item={item}
              onDeleted={(id) => setDeleted((previous) => new Set(previous).add(id))} />
          ))}
        </ul>
      )}
    </main>
  );
}
