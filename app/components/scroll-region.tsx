import type { CSSProperties, ReactNode } from "react";

/**
 * The wrapper of everything that scrolls sideways on a phone (wide tables, the seating
 * plan): it must be reachable by keyboard (tabIndex 0) and announced as a named region
 * (WCAG 2.1.1; axe's scrollable-region-focusable, issue 14). The label says what it holds.
 */
export function ScrollRegion({
  label,
  children,
  className = "table-scroll",
  style,
}: {
  label: string;
  children: ReactNode;
  className?: string;
  style?: CSSProperties;
}) {
  return (
    <div className={className} role="region" aria-label={label} tabIndex={0} style={style}>
      {children}
    </div>
  );
}
