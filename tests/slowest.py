#!/usr/bin/env python3
"""The ten slowest tests of a run, from its trx log: `dotnet test --logger trx`, then `tests/slowest.py [FILE.trx]`
(default: the newest under tests/*/TestResults/)."""
import glob, os, sys
import xml.etree.ElementTree as ET

paths = sys.argv[1:] or sorted(glob.glob(os.path.join(os.path.dirname(__file__), '*', 'TestResults', '*.trx')), key=os.path.getmtime)[-1:]
if not paths:
    sys.exit('no trx file: run `dotnet test --logger trx` first')
ns = '{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}'
results = []
for result in ET.parse(paths[0]).getroot().iter(ns + 'UnitTestResult'):
    h, m, s = result.get('duration', '0:0:0').split(':')
    results.append((int(h) * 3600 + int(m) * 60 + float(s), result.get('outcome'), result.get('testName')))
results.sort(reverse=True)
print(f'Slowest 10 of {len(results)} tests ({sum(r[0] for r in results):.1f} s of test time in all):')
for seconds, outcome, name in results[:10]:
    print(f'{seconds:7.2f} s  {outcome:<8} {name}')
