/**
 * @module classify/entry-matcher
 * Direct text matches between a description and list entries that have no HS code (the EU dual-use
 * list and Annex VII Part A are defined by control codes and technical parameters). Conservative on
 * purpose: the goods phrase's head word must match, and most of the goods words with it.
 */
import type { ControlList } from '../catalogue/types'
import { analyzeQuery } from './query'
import { buildTextIndex, clearScores, maskOf, newScratch, scoreLines, scoreOf } from './text-index'

export type EntryTextMatch = {
  listId: string
  code: string
  title: string
  score: number
  matched: string[]
}

const MIN_GOODS_COVERAGE = 0.6

export function createEntryMatcher(lists: ControlList[]): {
  match(description: string): EntryTextMatch[]
} {
  const entries = lists
    .filter((l) => l.match === 'text')
    .flatMap((l) =>
      l.entries.map((e) => ({
        listId: l.id,
        code: e.code,
        title: e.title,
        text: e.text ?? e.title,
      })),
    )
  const index = buildTextIndex(
    entries.map((e, i) => ({ code: String(i), text: e.text, source: 'hs2022' as const })),
  )
  const scratch = newScratch(index)
  return {
    match(description) {
      const query = analyzeQuery(description, (t) => index.termIds.has(t))
      const goods = query.terms.filter((t) => t.role !== 'qualifier' && index.termIds.has(t.term))
      const headIndex = query.terms.findIndex((t) => t.role === 'head')
      if (headIndex < 0 || goods.length === 0) return []
      scoreLines(index, query.terms, scratch)
      const out: EntryTextMatch[] = []
      for (let k = 0; k < scratch.count; k++) {
        const line = scratch.touched[k]!
        const mask = maskOf(scratch, line)
        if (headIndex >= 31 || !(mask & (1 << headIndex))) continue
        const matchedGoods = query.terms.filter(
          (t, i) => i < 31 && t.role !== 'qualifier' && mask & (1 << i),
        )
        if (matchedGoods.length / goods.length < MIN_GOODS_COVERAGE || matchedGoods.length < 2)
          continue
        const e = entries[Number(index.lineCode[line])]!
        out.push({
          listId: e.listId,
          code: e.code,
          title: e.title,
          score: scoreOf(scratch, line),
          matched: matchedGoods.map((t) => t.raw),
        })
      }
      clearScores(scratch)
      return out.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code)).slice(0, 3)
    },
  }
}
