// A register file of N packs for the benchmarks, written fast in large pieces: every 20th
// member has a superseded first pack and an issued second one; ballot numbers ascend.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeRegisterCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('ballot_number,issue,status,member_ref,online_code\n');
  const parts: string[] = [];
  let size = 0;
  let member = 0;
  for (let ballot = 1; ballot <= rows; ) {
    member++;
    const ref = `M-${member.toString(36).toUpperCase().padStart(7, '0')}`;
    if (member % 20 === 0 && ballot + 1 <= rows) {
      parts.push(`${ballot},1,superseded,${ref},\n${ballot},2,issued,${ref},K${member.toString().padStart(11, '0')}\n`);
      ballot++;
    } else {
      parts.push(`${ballot},1,issued,${ref},K${member.toString().padStart(11, '0')}\n`);
    }
    ballot++;
    size++;
    if (size >= 50_000) {
      if (!out.write(parts.join(''))) await once(out, 'drain');
      parts.length = 0;
      size = 0;
    }
  }
  out.end(parts.join(''));
  await once(out, 'finish');
}
