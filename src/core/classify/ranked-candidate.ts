/**
 * A returned candidate whose evidence lines are written when first read. A check shows the first five
 * candidates' first two lines and reads the first line of a few more (list matches by code), yet each
 * of up to twelve candidates had its three lines described (a string each, ~12 KB of garbage a row),
 * and a first reading set aside for a second one (`headClassesWanted`) had them all too.
 *
 * Reads as the plain object it stands for: `evidence` is the same array on every read (so a push or a
 * freeze of it holds), `toJSON` gives the same keys in the same order, and a frozen candidate (the
 * classification cache freezes what it keeps) still writes its lines once, in a private field, and
 * hands them out frozen.
 */
import type { ClassifiedCandidate } from './classifier'

export class RankedCandidate implements ClassifiedCandidate {
  #evidence: string[] | undefined
  #describe: (() => string[]) | undefined

  constructor(
    public hs6: string,
    public title: string,
    public score: number,
    /** Writes the evidence lines; called once, on the first read of `evidence`. */
    describe: () => string[],
    public explicit: boolean,
    public namesGoods: boolean,
  ) {
    this.#describe = describe
  }

  get evidence(): string[] {
    if (this.#evidence === undefined) {
      this.#evidence = this.#describe!()
      this.#describe = undefined
    }
    // A frozen candidate's lines are frozen too, as a deep freeze of the plain object froze them (the
    // freeze walks own values, and the lines are not one until read).
    if (Object.isFrozen(this) && !Object.isFrozen(this.#evidence)) Object.freeze(this.#evidence)
    return this.#evidence
  }

  set evidence(lines: string[]) {
    this.#evidence = lines
    this.#describe = undefined
  }

  toJSON(): ClassifiedCandidate {
    return {
      hs6: this.hs6,
      title: this.title,
      score: this.score,
      evidence: this.evidence,
      explicit: this.explicit,
      namesGoods: this.namesGoods,
    }
  }
}
