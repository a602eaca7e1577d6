import type { BlockedContact, BlocklistPage } from '../schemas.js';

/** The server's largest page. */
export const MAX_PAGE_SIZE = 200;

export interface BlocklistIterationOptions {
  /** Contacts asked for per request, 1 to 200 (default 200). */
  pageSize?: number;
}

type PageFetcher = (query: { limit: number; offset: number }) => Promise<BlocklistPage>;

/** Every blocked contact, page after page, until the total is reached or a page comes back empty. */
export async function* blocklistPages(
  getPage: PageFetcher,
  { pageSize = MAX_PAGE_SIZE }: BlocklistIterationOptions = {},
): AsyncGenerator<BlockedContact, void, undefined> {
  // A page size of 0 would never advance the offset.
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  let offset = 0;
  for (;;) {
    const { contacts, pagination } = await getPage({ limit: pageSize, offset });
    yield* contacts;
    // Advance by what came, not by what was asked, in case the server caps the page lower.
    offset += contacts.length;
    if (contacts.length === 0 || offset >= pagination.total) return;
  }
}
