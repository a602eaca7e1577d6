// The shape of a plan: how one transaction (operation × documented status) is provoked.
import type { Rewrite, Resend } from '../rewrite.cjs';
import type { Account, Answer, Session } from '../target.cjs';

/** What a plan's before() sets up, handed to its variants and after(). */
export interface State {
  account?: Account;
  original?: { show_security_notifications: boolean };
  firstLogin?: boolean;
}

/** Another documented way to get the status: sent by the hooks after Dredd's request. */
export interface Variant {
  name: string;
  /** Its WhatsApp error code, when it differs from the plan's. */
  code?: number;
  when?: (state: State) => boolean;
  send: (s: Session, state: State, t: Rewrite) => Promise<Answer>;
}

export interface Plan {
  /** The WhatsApp error code Dredd's request must come back with. */
  code?: number;
  /** Set-up and request rewrite; returns the state handed to the other steps. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most plans only rewrite the request and return nothing
  before?: (t: Rewrite, s: Session) => Promise<State | void>;
  variants?: Variant[];
  /** Problems with Dredd's real answer beyond status, schema and code (headers). */
  checkReal?: (real: { headers: Record<string, string> }) => string[];
  /** Restores what before() changed (blocks, settings). */
  after?: (s: Session, state: State) => Promise<void>;
}

/** The common variant: Dredd's request again with a change. */
export const resend = (name: string, change: Resend, code?: number): Variant => ({
  name,
  ...(code === undefined ? {} : { code }),
  send: (_s, _state, t) => t.resend(change),
});
