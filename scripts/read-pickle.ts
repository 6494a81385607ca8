/**
 * Reads a Python pickle that holds nothing but lists of strings (protocol 2–4: PROTO, FRAME,
 * EMPTY_LIST, MARK, APPEND(S), (SHORT_)BINUNICODE, MEMOIZE/BINPUT, STOP), with no Python: enough for
 * a table cached as `[[code, text], ...]`. Any other opcode is an error, never a guess.
 */
export function readStringListPickle(data: Buffer): unknown {
  const stack: unknown[] = []
  const marks: number[] = []
  let at = 0
  const top = (): unknown[] => {
    const list = stack[stack.length - 1]
    if (!Array.isArray(list)) throw new Error(`pickle: no list to append to at byte ${at}`)
    return list
  }
  while (at < data.length) {
    const op = data[at++]!
    switch (op) {
      case 0x80: // PROTO
        at += 1
        break
      case 0x95: // FRAME (8-byte length; the frame's contents follow in line)
        at += 8
        break
      case 0x5d: // EMPTY_LIST
        stack.push([])
        break
      case 0x28: // MARK
        marks.push(stack.length)
        break
      case 0x8c: {
        // SHORT_BINUNICODE
        const n = data[at]!
        stack.push(data.toString('utf8', at + 1, at + 1 + n))
        at += 1 + n
        break
      }
      case 0x58: {
        // BINUNICODE
        const n = data.readUInt32LE(at)
        stack.push(data.toString('utf8', at + 4, at + 4 + n))
        at += 4 + n
        break
      }
      case 0x94: // MEMOIZE
        break
      case 0x71: // BINPUT
        at += 1
        break
      case 0x61: {
        // APPEND
        const item = stack.pop()
        top().push(item)
        break
      }
      case 0x65: {
        // APPENDS
        const from = marks.pop()
        if (from === undefined) throw new Error('pickle: APPENDS without MARK')
        const items = stack.splice(from)
        top().push(...items)
        break
      }
      case 0x2e: // STOP
        if (stack.length !== 1) throw new Error('pickle: stack not one value at STOP')
        return stack[0]
      default:
        throw new Error(`pickle: unsupported opcode 0x${op.toString(16)} at byte ${at - 1}`)
    }
  }
  throw new Error('pickle: no STOP')
}
