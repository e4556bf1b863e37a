"""English short forms and demonyms of countries, which neither source package carries.

Short forms ("U.S.", "Britain", "DRC") name the country itself. Demonyms ("Syrian",
"Iraqis") are indexed as *context*: a lookup returns them with ``feature="demonym"``,
so that a caller can treat "Syrian troops" as a hint about the country rather than as
a place. Plurals are derived (``Syrian`` -> ``Syrians``) unless the form ends in a
sibilant or "-ese"; irregular nouns are listed explicitly. Keys are ISO 3166-1 alpha-2.
"""
from __future__ import annotations

# Short forms that English-language news uses for a country and that the packages lack
# or spell differently. All-capital forms are only matched when written in capitals.
_SHORT_FORMS = """
AE: UAE | U.A.E. | Emirates | the Emirates
BA: Bosnia | Bosnia-Herzegovina | Bosnia and Herzegovina
CD: DRC | D.R.C. | DR Congo | Congo-Kinshasa | Democratic Republic of Congo
CF: CAR | Central African Republic
CG: Congo-Brazzaville | Republic of Congo
CN: PRC | Mainland China | People's Republic of China
CZ: Czech Republic
GB: UK | U.K. | Britain | Great Britain | United Kingdom
IR: Islamic Republic of Iran
KP: North Korea | DPRK
KR: South Korea | ROK
MK: Macedonia
MM: Burma
NL: Holland | the Netherlands
PS: Palestine | Palestinian Territories | Occupied Palestinian Territories | State of Palestine
RU: Russian Federation
SA: KSA | Kingdom of Saudi Arabia
SY: Syrian Arab Republic
TR: Turkey | Turkiye
TW: Republic of China
US: US | U.S. | USA | U.S.A. | America | United States | United States of America
VA: Vatican | Holy See
"""

# Demonyms: adjective and noun forms. A trailing "!" marks an irregular plural given as is,
# a trailing "=" a form that takes no derived plural.
_DEMONYMS = """
AF: Afghan | Afghani
AL: Albanian
DZ: Algerian
AD: Andorran
AO: Angolan
AG: Antiguan
AR: Argentine | Argentinian
AM: Armenian
AU: Australian | Aussie
AT: Austrian
AZ: Azerbaijani | Azeri
BS: Bahamian
BH: Bahraini
BD: Bangladeshi
BB: Barbadian
BY: Belarusian | Belarussian
BE: Belgian
BZ: Belizean
BJ: Beninese
BT: Bhutanese
BO: Bolivian
BA: Bosnian
BW: Motswana= | Batswana!
BR: Brazilian
BN: Bruneian
BG: Bulgarian
BF: Burkinabe | Burkinabè
BI: Burundian
KH: Cambodian
CM: Cameroonian
CA: Canadian
CV: Cape Verdean | Cabo Verdean
CF: Central African
TD: Chadian
CL: Chilean
CN: Chinese
CO: Colombian
KM: Comorian
CD: Congolese
CG: Congolese
CR: Costa Rican
CI: Ivorian
HR: Croatian | Croat
CU: Cuban
CY: Cypriot
CZ: Czech | Czechs!
DK: Danish | Dane
DJ: Djiboutian
DM: Dominican
DO: Dominican
EC: Ecuadorian
EG: Egyptian
SV: Salvadoran | Salvadorean
GQ: Equatorial Guinean | Equatoguinean
ER: Eritrean
EE: Estonian
SZ: Swazi | Emaswati!
ET: Ethiopian
FJ: Fijian
FI: Finnish | Finn
FR: French | Frenchman= | Frenchmen! | Frenchwoman= | Frenchwomen!
GA: Gabonese
GM: Gambian
GE: Georgian
DE: German
GH: Ghanaian
GR: Greek
GD: Grenadian
GT: Guatemalan
GN: Guinean
GW: Bissau-Guinean
GY: Guyanese
HT: Haitian
HN: Honduran
HU: Hungarian
IS: Icelandic | Icelander
IN: Indian
ID: Indonesian
IR: Iranian
IQ: Iraqi
IE: Irish | Irishman= | Irishmen! | Irishwoman= | Irishwomen!
IL: Israeli
IT: Italian
JM: Jamaican
JP: Japanese
JO: Jordanian
KZ: Kazakh | Kazakhstani
KE: Kenyan
KI: I-Kiribati
KP: North Korean
KR: South Korean
XK: Kosovar | Kosovan
KW: Kuwaiti
KG: Kyrgyz | Kirghiz
LA: Lao | Laotian
LV: Latvian
LB: Lebanese
LS: Basotho | Mosotho
LR: Liberian
LY: Libyan
LI: Liechtensteiner
LT: Lithuanian
LU: Luxembourgish | Luxembourger
MG: Malagasy
MW: Malawian
MY: Malaysian
MV: Maldivian
ML: Malian
MT: Maltese
MH: Marshallese
MR: Mauritanian
MU: Mauritian
MX: Mexican
FM: Micronesian
MD: Moldovan
MC: Monegasque | Monacan
MN: Mongolian
ME: Montenegrin
MA: Moroccan
MZ: Mozambican
MM: Burmese
NA: Namibian
NR: Nauruan
NP: Nepali | Nepalese
NL: Dutch | Dutchman= | Dutchmen! | Dutchwoman= | Dutchwomen!
NZ: New Zealander | Kiwi
NI: Nicaraguan
NE: Nigerien
NG: Nigerian
MK: Macedonian | North Macedonian
NO: Norwegian
OM: Omani
PK: Pakistani
PW: Palauan
PS: Palestinian
PA: Panamanian
PG: Papua New Guinean
PY: Paraguayan
PE: Peruvian
PH: Filipino | Filipina | Philippine
PL: Polish | Pole
PT: Portuguese
QA: Qatari
RO: Romanian
RU: Russian
RW: Rwandan
KN: Kittitian | Nevisian
LC: Saint Lucian
VC: Vincentian
WS: Samoan
SM: Sammarinese
ST: Sao Tomean | São Toméan
SA: Saudi | Saudi Arabian
SN: Senegalese
RS: Serbian | Serb
SC: Seychellois
SL: Sierra Leonean
SG: Singaporean
SK: Slovak | Slovakian
SI: Slovenian | Slovene
SB: Solomon Islander
SO: Somali | Somalian
ZA: South African
SS: South Sudanese
ES: Spanish | Spaniard
LK: Sri Lankan
SD: Sudanese
SR: Surinamese
SE: Swedish | Swede
CH: Swiss
SY: Syrian
TW: Taiwanese
TJ: Tajik | Tajikistani
TZ: Tanzanian
TH: Thai
TL: Timorese | East Timorese
TG: Togolese
TO: Tongan
TT: Trinidadian | Tobagonian
TN: Tunisian
TR: Turkish | Turk
TM: Turkmen= | Turkmens!
TV: Tuvaluan
UG: Ugandan
UA: Ukrainian
AE: Emirati
GB: British | Briton | Brit | English | Englishman= | Englishmen! | Scottish | Scot | Welsh
US: American
UY: Uruguayan
UZ: Uzbek | Uzbekistani
VU: Ni-Vanuatu
VE: Venezuelan
VN: Vietnamese
YE: Yemeni
ZM: Zambian
ZW: Zimbabwean
"""

# Forms that take no "-s" plural: sibilant and "-ese" endings, and fixed forms.
_NO_PLURAL_ENDINGS = ("sh", "ch", "ss", "ese", "z", "x", "lao", "philippine")


def _parse(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for line in table.strip().splitlines():
        code, _, forms = line.partition(":")
        out.setdefault(code.strip(), []).extend(f.strip() for f in forms.split("|") if f.strip())
    return {code: tuple(forms) for code, forms in out.items()}


def _with_plurals(forms: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for form in forms:
        if form.endswith(("!", "=")):  # an irregular plural, or a form with no "-s" plural
            out.append(form[:-1])
            continue
        out.append(form)
        low = form.casefold()
        if not low.endswith(_NO_PLURAL_ENDINGS) and not low.endswith("s"):
            out.append(form + "s")
    return tuple(dict.fromkeys(out))


# Newspaper (AP style) abbreviations of US states and Canadian provinces, keyed by ISO
# 3166-2. Indexed as match "dotted": they match only when the query carries the period, so
# "Ind." is Indiana while "Ind" and "Miss" stay words.
_DOTTED = """
US-AL: Ala. | US-AZ: Ariz. | US-AR: Ark. | US-CA: Calif. | US-CO: Colo. | US-CT: Conn. | US-DE: Del.
US-DC: D.C. | US-FL: Fla. | US-GA: Ga. | US-IL: Ill. | US-IN: Ind. | US-KS: Kan. | US-KS: Kans.
US-KY: Ky. | US-LA: La. | US-MD: Md. | US-MA: Mass. | US-MI: Mich. | US-MN: Minn. | US-MS: Miss.
US-MO: Mo. | US-MT: Mont. | US-NE: Neb. | US-NE: Nebr. | US-NV: Nev. | US-NH: N.H. | US-NJ: N.J.
US-NM: N.M. | US-NY: N.Y. | US-NC: N.C. | US-ND: N.D. | US-OK: Okla. | US-OR: Ore. | US-OR: Oreg.
US-PA: Pa. | US-RI: R.I. | US-SC: S.C. | US-SD: S.D. | US-TN: Tenn. | US-TX: Tex. | US-VT: Vt.
US-VA: Va. | US-WA: Wash. | US-WV: W.Va. | US-WV: W. Va. | US-WI: Wis. | US-WI: Wisc. | US-WY: Wyo.
CA-AB: Alta. | CA-BC: B.C. | CA-MB: Man. | CA-NB: N.B. | CA-NL: N.L. | CA-NL: Nfld. | CA-NS: N.S.
CA-ON: Ont. | CA-PE: P.E.I. | CA-QC: Que. | CA-SK: Sask. | CA-NT: N.W.T. | CA-YT: Y.T.
"""

# Demonyms of continents, as context like those of countries ("European officials").
CONTINENT_DEMONYMS: dict[str, tuple[str, ...]] = {
    "EU": ("European", "Europeans"), "AF": ("African", "Africans"), "AS": ("Asian", "Asians"),
    "NA": ("North American", "North Americans"), "SA": ("South American", "South Americans"),
}

# A country's point is the rounded centre that GeoNames and the CIA World Factbook share for
# most countries (countryinfo). Where that point is only a coarse rounding of a well-known
# centre, the centre is written here, with where it comes from.
POINT_OVERRIDES: dict[str, tuple[float, float, str]] = {
    # Geographic centre of the contiguous United States, near Lebanon, Kansas (US Geological
    # Survey marker); the rounded 38 N 97 W lies 200 km away.
    "US": (39.8283, -98.5795, "geographic centre of the contiguous states"),
}


def _parse_dotted(table: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for item in table.replace("\n", " | ").split(" | "):
        code, sep, form = item.strip().partition(": ")
        if sep:
            out.setdefault(code.strip(), []).append(form.strip())
    return {code: tuple(forms) for code, forms in out.items()}


SHORT_FORMS: dict[str, tuple[str, ...]] = _parse(_SHORT_FORMS)
DEMONYMS: dict[str, tuple[str, ...]] = {c: _with_plurals(f) for c, f in _parse(_DEMONYMS).items()}
DOTTED: dict[str, tuple[str, ...]] = _parse_dotted(_DOTTED)

__all__ = ["SHORT_FORMS", "DEMONYMS", "DOTTED", "CONTINENT_DEMONYMS", "POINT_OVERRIDES"]
