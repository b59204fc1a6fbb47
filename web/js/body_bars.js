// The six body-part bars of the results (activity) and of a comparison (similarity).

import { formatOutOf100, humanise } from './format.js';
import { kBodyParts } from './compare.js';

/**
 * Fills the list `bars` with one 0-100 bar per body part of `values`, labelled for screen
 * readers as "<part> <measure>"; the part named `highlighted` gets the bar-top class.
 */
export function renderBodyPartBars(bars, values, measure, highlighted) {
  bars.replaceChildren();
  for (const part of kBodyParts) {
    const value = values?.[part];
    const li = document.createElement('li');
    li.dataset.part = part;
    const label = document.createElement('span');
    label.className = 'bar-label';
    label.textContent = humanise(part);
    const side = part.startsWith('left') ? 'left' : part.startsWith('right') ? 'right' : null;
    if (side) { // the dancer's own side: on screen it is the other one when they face the camera
      const note = document.createElement('small');
      note.textContent = `dancer's ${side}`;
      label.append(note);
    }
    const track = document.createElement('span');
    track.className = 'bar-track';
    if (Number.isFinite(value)) {
      track.setAttribute('role', 'meter');
      track.setAttribute('aria-label', `${humanise(part)}${side ? ` (dancer's ${side})` : ''} ${measure}, out of 100`);
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', String(Math.round(value)));
    } else {
      track.setAttribute('aria-hidden', 'true'); // no number: the dash beside it says so
    }
    const fill = document.createElement('span');
    fill.className = 'bar-fill';
    fill.style.width = `${Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0}%`;
    track.append(fill);
    const num = document.createElement('span');
    num.className = 'bar-value';
    num.textContent = formatOutOf100(value);
    li.append(label, track, num);
    if (part === highlighted) li.classList.add('bar-top');
    bars.append(li);
  }
}
