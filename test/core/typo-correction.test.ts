import { describe, expect, it } from 'vitest'
import { modelNameWords } from '../../src/core/classify/typo-correction'
import { testEngine } from './engine-fixture'

describe('typo correction leaves model names alone', () => {
  it('takes a capitalised word beside a model code for a model name', () => {
    expect(modelNameWords('DJI Mavic 3T')).toEqual(new Set(['mavic']))
    expect(modelNameWords('Galaxy S23 Ultra smartphone')).toEqual(new Set(['galaxy', 'ultra']))
  })

  it('sees no model name beside a plain number, or in a text of one case', () => {
    expect(modelNameWords('SKF Bearng 6205')).toEqual(new Set())
    expect(modelNameWords('DJI MAVIC 3T')).toEqual(new Set())
    expect(modelNameWords('dji mavic 3t')).toEqual(new Set())
  })

  it('does not read "DJI Mavic 3T" as malic acid, and still corrects "SKF Bearng 6205"', () => {
    const { classifier } = testEngine()
    expect(classifier.classify('DJI Mavic 3T').corrections).toEqual([])
    expect(classifier.classify('DJI Mavic 3T').candidates[0]?.hs6.slice(0, 2)).not.toBe('29')
    expect(classifier.classify('SKF Bearng 6205').candidates[0]?.hs6.slice(0, 4)).toBe('8482')
  })
})
