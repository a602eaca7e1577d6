/**
 * A customer export of `rows` rows (id,name,phone,city) with numbers in mixed formats, some
 * unreadable (the server answers `failed`) and some empty (bad rows), and what the CLI must
 * write for it: the results file and the rejects file. `exchange` keeps the numbers of
 * different lists apart, so that one list's numbers are not in the server's cache from another.
 */
export function contactList(rows: number, exchange: number) {
  const csv = ['id,name,phone,city'];
  const out = ['input,status,wa_id,id,name,city'];
  const rejects = ['line,reason,row'];
  for (let i = 0; i < rows; i++) {
    const ex = exchange + Math.floor(i / 10_000);
    const d4 = String(i % 10_000).padStart(4, '0');
    const name = i % 7 === 0 ? `"Doe, J${i}"` : `Customer ${i}`;
    const city = ['London', 'Paris', 'Lagos', 'Lima'][i % 4]!;
    const formats = [
      `+1 631-${ex}-${d4}`,
      `+1 (631) ${ex}-${d4}`,
      `1631${ex}${d4}`,
      `(631) ${ex}-${d4}`,
      `+1.631.${ex}.${d4}`,
    ];
    let phone = formats[i % formats.length]!;
    if (i % 1000 === 999) phone = '';
    else if (i % 50 === 13) phone = `no number ${i}`;
    csv.push(`${i},${name},${phone},${city}`);
    if (phone === '') rejects.push(`${i + 2},the number is empty,"${i},${name.replaceAll('"', '""')},,${city}"`);
    else if (phone.startsWith('no number')) out.push(`${phone},failed,,${i},${name},${city}`);
    else out.push(`${phone},valid,1631${ex}${d4},${i},${name},${city}`);
  }
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  return { csv: text(csv), out: text(out), rejects: text(rejects), answered: out.length - 1, bad: rejects.length - 1 };
}
