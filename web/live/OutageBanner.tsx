/** Says the server cannot be reached, since when, and that what the page shows is what it last knew. */
export function OutageBanner({ since }: { since: number | null }) {
  return (
    <div className="banner banner-error" role="alert" data-testid="outage-banner">
      <span>
        The server cannot be reached{since ? ` since ${new Date(since).toLocaleTimeString()}` : ''}: the status shown is the last known, and
        nothing can be saved or deployed. Retrying…
      </span>
    </div>
  );
}
