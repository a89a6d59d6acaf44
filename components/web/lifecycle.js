// What every component here shares: one instance per mounted element, and the sequence/ack protocol.
//
// Streamlit calls a component's function again with each rerun's data, and may call its cleanup before doing so,
// not only on unmount: the instance is kept on its element, updated in place, and disposed only once the element
// has left the page.

export function mounted(component, make) {
  const { parentElement } = component;
  if (!parentElement.__instance) parentElement.__instance = make(component);
  const instance = parentElement.__instance;
  instance.update(component);
  return () => {
    setTimeout(() => {
      if (parentElement.isConnected || parentElement.__instance !== instance) return;
      if (instance.dispose) instance.dispose();
      parentElement.__instance = null;
    }, 0);
  };
}

// Every value a component sends carries `seq`, larger than any it sent before (across page loads too: it starts
// from the clock), and the page's data carries `appliedSeq`, the last one the page has applied. Until the page
// has applied the latest, data from the server predates the person's last move and must not undo it.
export class Sequence {
  constructor() {
    this.last = 0;
    this.waived = 0;
  }

  next() {
    this.last = Math.max(this.last + 1, Date.now() * 1000);
    return this.last;
  }

  // The page has applied everything this element sent (or it sent nothing, or stopped waiting).
  settled(appliedSeq) {
    return this.last <= Math.max(Number(appliedSeq || 0), this.waived);
  }

  // Stop waiting for what was sent so far (the page never applied it, however often it was resent): the page's
  // next data is shown.
  waive() {
    this.waived = this.last;
  }
}

// Streamlit sends nested values as JSON text where the glue chose to (components/component_data.py).
export function parsed(value, fallback) {
  if (value === undefined || value === null) return fallback;
  return typeof value === "string" ? JSON.parse(value) : value;
}
