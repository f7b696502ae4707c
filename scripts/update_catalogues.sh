#!/bin/sh
# Extract, update and compile the gettext catalogues (see src/advisor/locale/README.md).
set -e
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k L_ -k tr -k t -k ntr:1,2 --no-location --sort-output --project=advisor -o src/advisor/locale/advisor.pot .
pybabel update -D advisor -i src/advisor/locale/advisor.pot -d src/advisor/locale --no-fuzzy-matching --ignore-obsolete
pybabel compile -D advisor -d src/advisor/locale --statistics
