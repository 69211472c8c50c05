#!/usr/bin/env python3
"""The ten slowest tests of a run, from its trx log: `dotnet test --logger trx`, then `tests/slowest.py [FILE.trx]`
(default: the newest under tests/*/TestResults/). With --failed: the failed tests instead, each with the first lines
of its message (CI prints them last, so the record's tail names what failed)."""
import glob, os, sys
import xml.etree.ElementTree as ET

args = [a for a in sys.argv[1:] if a != '--failed']
paths = args or sorted(glob.glob(os.path.join(os.path.dirname(__file__), '*', 'TestResults', '*.trx')), key=os.path.getmtime)[-1:]
if not paths:
    sys.exit('no trx file: run `dotnet test --logger trx` first')
ns = '{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}'
results = []
for result in ET.parse(paths[0]).getroot().iter(ns + 'UnitTestResult'):
    h, m, s = result.get('duration', '0:0:0').split(':')
    message = result.findtext(f'{ns}Output/{ns}ErrorInfo/{ns}Message') or ''
    results.append((int(h) * 3600 + int(m) * 60 + float(s), result.get('outcome'), result.get('testName'), message))

if '--failed' in sys.argv:
    failed = [r for r in results if r[1] == 'Failed']
    print(f'{len(failed)} of {len(results)} tests failed' + (':' if failed else ''))
    for seconds, _, name, message in failed:
        print(f'FAILED {name} ({seconds:.1f} s)')
        for line in message.strip().splitlines()[:6]:
            print(f'    {line[:300]}')
    sys.exit(0)

results.sort(reverse=True)
print(f'Slowest 10 of {len(results)} tests ({sum(r[0] for r in results):.1f} s of test time in all):')
for seconds, outcome, name, _ in results[:10]:
    print(f'{seconds:7.2f} s  {outcome:<8} {name}')
