/**
 * REST list pagination as GitHub does it: `per_page` (default 30, at most
 * 100) and `page`, with a `Link` header naming the next, last, first and
 * previous pages.
 */

export interface Page<T> {
  items: T[];
  /** The Link header's value; absent when everything fits on one page. */
  link?: string;
}

/** One page of `items`; `pageUrl` gives the URL of the list with the page's query. */
export function paginate<T>(items: T[], query: URLSearchParams, pageUrl: (query: URLSearchParams) => string): Page<T> {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("page", String(n));
    q.set("per_page", String(perPage));
    return pageUrl(q);
  };
  const rels: string[] = [];
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return rels.length ? { items: slice, link: rels.join(", ") } : { items: slice };
}
