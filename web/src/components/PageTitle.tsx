import type { ReactNode } from 'react';

/** The screen heading; the shell moves focus here after navigation (tabIndex -1). */
export function PageTitle({ title, lead, children }: { title: string; lead?: string; children?: ReactNode }) {
  return (
    <div className="page-title">
      <h1 tabIndex={-1}>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </div>
  );
}
