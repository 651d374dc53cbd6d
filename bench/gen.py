#!/usr/bin/env python3
"""Benchmark corpora for morgue: invented news articles, and real JSONL corpora as article files.

Two subcommands:

  gen.py synth --n N --seed S --out DIR [--formats LIST]
      Writes N invented news articles (fiction, made up here from word lists) under DIR/articles/,
      plus DIR/articles.jsonl (one line per article: path, locator in a container, title,
      author, date, body; the same articles for the tantivy-cli and SQLite baselines) and
      DIR/manifest.json (counts, bytes and the names the query mix uses). Deterministic for a
      given N, seed and formats.

  gen.py synth --n N --seed S --out DIR --jobs J
      The same kind of corpus written by J processes at once (for 1M articles): every shard shares
      the vocabulary, people and authors of seed S and draws its articles from its own generator
      (seeded from S and the shard number), so the corpus is deterministic for N, S and J, and
      differs from the J = 1 corpus of the same N.

  gen.py real --src FILE.jsonl --out DIR
      Writes each record of a JSONL corpus ({title, date, author?, body}) as one plain-text article
      in the seed layout under DIR/articles/, plus DIR/articles.jsonl and DIR/manifest.json.
      Used at bench time only; the output is never committed.

Synthetic articles:
  * lengths 150-3,000 words (log-normal, median about 600);
  * words drawn from a Zipf distribution (s = 1.0) over a vocabulary whose head is common English
    function and news words and whose tail is made-up pronounceable words (50,000 in all);
  * dates spread over 25 years (2000-2024), hundreds of authors across a handful of outlets;
  * thousands of people; quotes in news style ('"...," Name said.', '"...," said Name, ...',
    'Name said: "..."', later '"...," Surname said.'), the speakers Zipf-distributed so some
    are quoted thousands of times and most rarely;
  * places as datelines ('CITY (Wire) -') and mentions;
  * a share of syndicated duplicates (byte-identical copies in another outlet's folder, and the
    same body under another header);
  * every format morgue reads (--formats, default all): plain text in the seed layout (date line,
    title, byline, body), Markdown with YAML front matter, saved HTML pages (JSON-LD, OpenGraph
    or plain markup, with navigation, related links and a footer around the article), JSON files
    (two key styles), JSONL exports (news-please keys) and gzip-compressed WARC crawls of 40
    articles each, and gzip-compressed plain text. The articles are the same whatever formats
    are asked for (format choices and page furniture are drawn from a generator of their own),
    and --formats text,markdown writes the corpus of earlier versions byte for byte. A wire
    story that went into a container is syndicated as a plain-text copy.

Besides articles/ and articles.jsonl, DIR/gold.jsonl holds each article's path (and locator in
a container), title, date and authors, for `morgue eval --gold`.
"""

import argparse
import datetime as dt
import gzip
import html
import json
import math
import os
import random
import sys
from bisect import bisect
from itertools import accumulate

# ----------------------------------------------------------------------------------------------
# Word lists (written for this generator).

FUNCTION_WORDS = """the of and to a in that is was he for it with as his on be at by had are
but from or have an they which one you were her all she there would their we him been has when
who will more no if out so said what up its about into than them can only other new some could
time these two may then do first any my now such like our over man me even most made after also
did many before must through back years where much your way well down should because each just
those people how too little state good very make world still own see men work long get here
between both life being under never day same another know while last might us great old year off
come since against go came right used take three""".split()

NEWS_WORDS = """government minister council police court city officials report week month
president company market prices workers union strike election vote party leader campaign
budget plan water school hospital health families children residents community area region
statement spokesman spokeswoman agency office board members committee meeting talks agreement
deal officers investigation charges trial judge lawyers evidence security forces troops border
military attack killed injured fire flood storm weather rain winter summer season road rail
train airport flights passengers ferry port bridge housing rent prices inflation rates bank
central economy growth jobs unemployment wages pay tax taxes spending debt deficit oil gas
energy power electricity coal climate emissions farmers crops harvest food shortage aid refugees
migrants asylum hospital doctors nurses patients vaccine outbreak cases virus disease study
researchers scientists university students teachers exam results data figures survey poll voters
candidates seats parliament senate congress law bill reform rules regulator ministry department
federal local national international foreign trade exports imports tariffs talks summit
ministers ambassador embassy protest protesters demonstrators crowd square street streets
village town district province capital north south east west northern southern eastern western
coast river valley mountain island museum festival concert theatre film music artist gallery
club team match season coach players league cup final goal victory defeat record fans stadium
court ruling appeal sentence prison jail arrested suspect witness victims damage repairs
contract contractors construction project plans proposal cost costs million billion percent
quarter earnings profit loss shares investors sales customers stores online service services
network internet phone technology software system systems computer companies firm firms chief
executive director manager owner owners staff employees jobs hours shift shifts overtime
schedule timetable delays closure closed opened opening announced confirmed denied warned
expected planned approved rejected cut raised increased fell rose dropped doubled""".split()

SYLLABLES = """ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga ge go gu ha he hi ho
ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si
so su ta te ti to tu va ve vi vo za ze zo bra bre bri dra dre tra tre tri gra gre pla ple pri
pro sta ste sti sto stra lan len lin lon ran ren rin ron tan ten tin ton var ver vor mar mer
mor nor nar ser sor tal tel dal del kal kel""".split()

FIRST_NAMES = """James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William
Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy
Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna
Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald
Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas
Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon
Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick
Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose
Julie Adam Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle
Christina Ethan Joan Walter Evelyn Noah Judith Jeremy Megan Christian Andrea Keith Cheryl Roger
Hannah Terry Jacqueline Gerald Martha Harold Gloria Sean Teresa Austin Ann Carl Sara Arthur
Madison Lawrence Frances Dylan Kathryn Jesse Janice Jordan Jean Bryan Abigail Billy Alice Joe
Judy Bruce Sophia Gabriel Grace Logan Denise Albert Amber Willie Doris Alan Marilyn Juan Danielle
Wayne Beverly Elijah Isabella Randy Theresa Roy Diana Vincent Natalie Ralph Brittany Eugene
Charlotte Russell Marie Bobby Kayla Mason Alexis Philip Lori Ahmed Fatima Wei Mei Hiroshi Yuki
Olga Ivan Pierre Camille Lars Ingrid Carlos Lucia Kwame Amara Priya Rahul Tomasz Zofia""".split()

LAST_NAMES = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson
White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres
Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez
Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell
Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson
Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald
Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson
Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer
Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels
Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold
Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong
Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews
Pena Richards Contreras Willis Carpenter Lawrence Sandoval Okafor Mensah Tanaka Sato Ivanova
Novak Kowalski Dubois Lefebvre Rossi Bianchi Muller Schneider Jansen Larsen Nakamura Haddad
Farouk Singh Sharma Osei Achebe Lindqvist Moreau Costa Oliveira Petrov Horvath""".split()

PLACES = """London Paris Berlin Madrid Rome Lisbon Dublin Brussels Amsterdam Vienna Prague Warsaw
Budapest Athens Stockholm Oslo Copenhagen Helsinki Geneva Zurich Moscow Kyiv Istanbul Ankara
Cairo Lagos Nairobi Accra Johannesburg Addis-Ababa Khartoum Tunis Algiers Casablanca Beirut
Damascus Baghdad Tehran Riyadh Dubai Doha Amman Jerusalem Kabul Islamabad Karachi Delhi Mumbai
Dhaka Colombo Kathmandu Beijing Shanghai Hong-Kong Taipei Seoul Tokyo Osaka Manila Jakarta
Bangkok Hanoi Singapore Kuala-Lumpur Sydney Melbourne Auckland Wellington Toronto Montreal
Vancouver Ottawa Chicago Boston Houston Denver Seattle Atlanta Miami Detroit Phoenix Dallas
Philadelphia Washington New-York Los-Angeles San-Francisco Mexico-City Havana Bogota Lima
Santiago Buenos-Aires Sao-Paulo Rio-de-Janeiro Caracas Quito Montevideo Leeds Manchester
Glasgow Edinburgh Cardiff Belfast Bristol Liverpool Lyon Marseille Hamburg Munich Milan Naples
Barcelona Seville Porto Krakow Gdansk Tbilisi Yerevan Baku Almaty Tashkent Ulaanbaatar""".split()

COUNTRIES = """France Germany Spain Italy Portugal Ireland Belgium Netherlands Austria Poland
Hungary Greece Sweden Norway Denmark Finland Switzerland Russia Ukraine Turkey Egypt Nigeria
Kenya Ghana Ethiopia Sudan Morocco Lebanon Syria Iraq Iran Israel Jordan Afghanistan Pakistan
India Bangladesh Nepal China Taiwan Japan Korea Philippines Indonesia Thailand Vietnam Malaysia
Australia Canada Mexico Cuba Colombia Peru Chile Argentina Brazil Venezuela Ecuador Uruguay
Scotland Wales Georgia Armenia Azerbaijan Kazakhstan Mongolia""".split()

COLLOCATIONS = """city council|prime minister|interest rates|police said|health service|climate
change|court of appeal|trade talks|power station|city centre|general election|central bank|
foreign minister|public transport|human rights|peace talks|oil prices|border crossing""".replace(
    "\n", " ").replace("| ", "|").split("|")

ROLES = """mayor spokesman spokeswoman director chairman chairwoman minister senator
councillor professor economist analyst lawyer resident teacher nurse doctor farmer owner
manager organiser official""".split()

ORGS = """the city council|the ministry|the union|the hospital|the university|the regional
authority|the chamber of commerce|the residents' association|the transport agency|the central
bank|the football club|the museum|the water board|the police federation|the teachers'
union|the farmers' cooperative|the port authority|the energy regulator""".replace("\n", " ").split("|")

OUTLETS = [
    # (folder, share of originals, layout, has wire dateline)
    ("wire", 0.30, "text", True),
    ("daily-courier", 0.16, "text", False),
    ("northern-herald", 0.14, "text", False),
    ("harbour-times", 0.12, "text", False),
    ("valley-post", 0.13, "text", False),
    ("blog", 0.15, "markdown", False),
]
# Formats of the articles in the plain-text layout (Markdown articles stay Markdown), with their
# shares; renormalised over the formats asked for. JSONL and WARC are containers of
# CONTAINER_SIZE articles each.
FORMAT_SHARES = [("text", 0.55), ("html", 0.18), ("json", 0.06), ("jsonl", 0.08),
                 ("warc", 0.08), ("gz", 0.05)]
ALL_FORMATS = ["text", "markdown", "html", "json", "jsonl", "warc", "gz"]
CONTAINERS = ("jsonl", "warc")
CONTAINER_SIZE = 40
SITE_NAMES = {"wire": "Wire Service", "daily-courier": "The Daily Courier",
              "northern-herald": "The Northern Herald", "harbour-times": "Harbour Times",
              "valley-post": "The Valley Post", "blog": "Notebook"}
SYNDICATED_SHARE = 0.05  # byte-identical copy of a wire story in another outlet's folder
REHEADED_SHARE = 0.02  # same body under another title and date line
VOCAB_SIZE = 50_000
ZIPF_S = 1.0
N_AUTHORS = 300
N_PEOPLE = 5_000
START = dt.date(2000, 1, 1)
DAYS = (dt.date(2024, 12, 31) - START).days

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def place_name(p):
    return p.replace("-", " ")


def build_vocab(rng):
    seen, vocab = set(), []
    for w in FUNCTION_WORDS + NEWS_WORDS:
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    while len(vocab) < VOCAB_SIZE:
        n = rng.choice((2, 2, 3, 3, 3, 4))
        w = "".join(rng.choice(SYLLABLES) for _ in range(n))
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    return vocab


def zipf_cum(n, s):
    return list(accumulate(1.0 / (r ** s) for r in range(1, n + 1)))


class Synth:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        rng = self.rng
        self.vocab = build_vocab(rng)
        self.vocab_cum = zipf_cum(len(self.vocab), ZIPF_S)
        people, seen = [], set()
        while len(people) < N_PEOPLE:
            name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
            if name not in seen:
                seen.add(name)
                people.append(name)
        self.people = people
        self.people_cum = zipf_cum(len(people), 1.0)
        authors, seen = [], set()
        while len(authors) < N_AUTHORS:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in seen and tuple(name.split(" ", 1)) not in self.people:
                seen.add(name)
                authors.append(name)
        self.authors = authors
        self.outlet_authors = {o[0]: [] for o in OUTLETS}
        for i, a in enumerate(authors):
            self.outlet_authors[OUTLETS[i % len(OUTLETS)][0]].append(a)
        self.outlet_cum = list(accumulate(o[1] for o in OUTLETS))
        self.place_cum = zipf_cum(len(PLACES), 0.8)

    def words(self, k, rng=None):
        # choices() draws with the cumulative weights: Zipf over the vocabulary.
        return (rng or self.rng).choices(self.vocab, cum_weights=self.vocab_cum, k=k)

    def related(self, rng):
        """Headlines for a page's related links, drawn from rng (not the articles' generator)."""
        return [" ".join(self.words(6, rng)).capitalize() for _ in range(4)]

    def sentence(self, k):
        ws = self.words(k)
        rng = self.rng
        if k > 10 and rng.random() < 0.3:
            ws[rng.randrange(3, k - 3)] += ","
        if rng.random() < 0.25:
            ws.insert(rng.randrange(1, len(ws)), "in " + place_name(self.place()))
        if rng.random() < 0.12:
            ws.insert(rng.randrange(1, len(ws)), "the " + rng.choice(COLLOCATIONS))
        s = " ".join(ws)
        return s[0].upper() + s[1:] + "."

    def place(self):
        return self.rng.choices(PLACES, cum_weights=self.place_cum, k=1)[0]

    def person(self):
        return self.rng.choices(self.people, cum_weights=self.people_cum, k=1)[0]

    def quote_text(self):
        rng = self.rng
        n = rng.randint(1, 2)
        parts = [" ".join(self.words(rng.randint(6, 18))) for _ in range(n)]
        s = ". ".join(p[0].upper() + p[1:] for p in parts)
        return s

    def quote_paragraph(self, person, first):
        """One paragraph with a quote by person, in one of the usual news forms."""
        rng = self.rng
        first_name, last = person
        full = f"{first_name} {last}"
        q = self.quote_text()
        if first:
            form = rng.randrange(4)
            if form == 0:
                return f'"{q}," {full} said.'
            if form == 1:
                role = rng.choice(ROLES)
                org = rng.choice(ORGS)
                return f'"{q}," said {full}, a {role} at {org}.'
            if form == 2:
                return f'{full}, the {rng.choice(ROLES)}, said: "{q}."'
            lead = self.sentence(rng.randint(8, 16))
            return f'{lead} "{q}," {full} told reporters.'
        form = rng.randrange(4)
        if form == 0:
            return f'"{q}," {last} said.'
        if form == 1:
            return f'"{q}," said {last}.'
        if form == 2:
            return f'"{q}," {"he" if rng.random() < 0.5 else "she"} said.'
        q2 = self.quote_text()
        return f'"{q}," {last} said. "{q2}."'

    def article(self, idx):
        rng = self.rng
        target = int(min(3000, max(150, rng.lognormvariate(math.log(600), 0.6))))
        o = bisect(self.outlet_cum, rng.random() * self.outlet_cum[-1])
        outlet, _, layout, wire = OUTLETS[min(o, len(OUTLETS) - 1)]
        date = START + dt.timedelta(days=rng.randrange(DAYS + 1))
        author = rng.choice(self.outlet_authors[outlet])
        if rng.random() < 0.05:
            author = f"{author} and {rng.choice(self.authors)}"
        place = self.place()
        title_words = self.words(rng.randint(5, 11))
        title = " ".join(title_words)
        title = title[0].upper() + title[1:]
        if rng.random() < 0.4:
            title += " in " + place_name(place)
        speakers = [self.person() for _ in range(rng.randint(0, 4))]
        paras, count, quoted = [], 0, set()
        while count < target:
            if speakers and rng.random() < 0.35:
                p = rng.choice(speakers)
                para = self.quote_paragraph(p, p not in quoted)
                quoted.add(p)
            else:
                para = " ".join(self.sentence(rng.randint(8, 28))
                                for _ in range(rng.randint(1, 4)))
                if rng.random() < 0.15:
                    para += f" {rng.choice(COUNTRIES)} {rng.choice(['said', 'announced', 'denied'])} " \
                            f"{' '.join(self.words(rng.randint(4, 10)))}."
            paras.append(para)
            count += para.count(" ") + 1
        if wire:
            paras[0] = f"{place_name(place).upper()} (Wire) - {paras[0]}"
        return {"outlet": outlet, "layout": layout, "date": date, "author": author,
                "title": title, "paras": paras, "slug": slug(title_words, idx)}


def slug(words, idx):
    return "-".join(w.strip(",.") for w in words[:5]) + f"-{idx:07d}"


def date_line(date, rng):
    form = rng.randrange(4)
    if form == 0:
        return f"{date.strftime('%A')}, {MONTHS[date.month - 1]} {date.day:02d}, {date.year}"
    if form == 1:
        return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
    if form == 2:
        return f"{date.day} {MONTHS[date.month - 1][:3]} {date.year}"
    return date.isoformat()


def render(a, rng):
    """The file text of an article in its outlet's layout."""
    body = "\n\n".join(a["paras"])
    if a["layout"] == "markdown":
        paras = list(a["paras"])
        for i in range(3, len(paras), 6):
            paras[i] = "## " + " ".join(paras[i].split()[:4]).strip(",.\"") + "\n\n" + paras[i]
        title = a["title"].replace('"', "'")
        tags = ", ".join(rng.sample(NEWS_WORDS, 3))
        fm = (f"---\ntitle: \"{title}\"\ndate: {a['date'].isoformat()}\n"
              f"author: {a['author']}\ntags: [{tags}]\n---\n\n")
        return fm + "\n\n".join(paras) + "\n"
    byline = rng.choice(("By", "by", "By")) + " " + a["author"]
    if rng.random() < 0.1:
        byline = "By " + a["author"].upper()
    return f"{date_line(a['date'], rng)}\n\n{a['title']}\n\n{byline}\n\n{body}\n"


def authors_of(a):
    return a["author"].split(" and ")


def url_of(a):
    return f"https://{a['outlet']}.example/{a['date']:%Y/%m/%d}/{a['slug']}"


def clock(frng):
    return f"{frng.randrange(6, 22):02d}:{frng.randrange(60):02d}:00"


def render_html(a, frng, related):
    """A saved news page: one of three metadata styles, the article among page furniture."""
    site = SITE_NAMES.get(a["outlet"], a["outlet"])
    title = html.escape(a["title"])
    names = authors_of(a)
    when = f"{a['date'].isoformat()}T{clock(frng)}+00:00"
    style = frng.randrange(3)
    head = ['<meta charset="utf-8">', f"<title>{title} | {html.escape(site)}</title>",
            f'<link rel="canonical" href="{url_of(a)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">']
    byline = f'<p class="byline">By {html.escape(a["author"])}</p>'
    if style == 0:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
              "datePublished": when, "author": [{"@type": "Person", "name": n} for n in names],
              "publisher": {"@type": "Organization", "name": site}}
        head.append('<script type="application/ld+json">' + json.dumps(ld) + "</script>")
        dated = ""
    elif style == 1:
        head += [f'<meta property="og:title" content="{title}">',
                 f'<meta property="og:site_name" content="{html.escape(site)}">',
                 f'<meta property="article:published_time" content="{when}">']
        head += [f'<meta name="author" content="{html.escape(n)}">' for n in names]
        dated = ""
    else:
        d = a["date"]
        dated = (f'<time datetime="{d.isoformat()}">{MONTHS[d.month - 1]} {d.day}, '
                 f"{d.year}</time>")
    nav = "".join(f'<li><a href="/{w}">{w.capitalize()}</a></li>'
                  for w in ("news", "politics", "business", "sport", "weather", "opinion"))
    paras = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in a["paras"])
    links = "".join(f'<li><a href="/{i}">{html.escape(t)}</a></li>'
                    for i, t in enumerate(related))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n' + "\n".join(head) + "\n</head>\n"
            f'<body>\n<header><a class="logo" href="/">{html.escape(site)}</a>\n'
            f'<nav><ul>{nav}</ul></nav></header>\n<main>\n<article>\n<h1>{title}</h1>\n'
            f"{byline}\n{dated}\n{paras}\n</article>\n"
            f'<aside class="related"><h2>More stories</h2><ul>{links}</ul></aside>\n</main>\n'
            f"<footer><p>&copy; {a['date'].year} {html.escape(site)}. All rights reserved.</p>\n"
            '<p><a href="/newsletter">Sign up for our morning newsletter</a> | '
            '<a href="/privacy">Privacy</a> | <a href="/contact">Contact us</a></p></footer>\n'
            "</body>\n</html>\n")


def render_json(a, frng):
    """One article as a JSON file, in one of two key styles."""
    body = "\n\n".join(a["paras"])
    if frng.random() < 0.5:
        rec = {"title": a["title"], "date": a["date"].isoformat(), "authors": authors_of(a),
               "body": body, "url": url_of(a)}
    else:
        rec = {"headline": a["title"], "datePublished": f"{a['date'].isoformat()}T{clock(frng)}Z",
               "byline": "By " + a["author"], "text": body,
               "source_domain": f"{a['outlet']}.example"}
    return json.dumps(rec, indent=1) + "\n"


def jsonl_line(a, frng):
    """One line of a news-please style export."""
    return json.dumps({"title": a["title"], "date_publish": f"{a['date'].isoformat()} {clock(frng)}",
                       "authors": authors_of(a), "maintext": "\n\n".join(a["paras"]),
                       "source_domain": f"{a['outlet']}.example", "url": url_of(a)}) + "\n"


def warc_record(kind, headers, payload, frng):
    """One WARC/1.0 record, gzip-compressed on its own (as crawlers write them)."""
    rid = "%08x-%04x-4%03x-8%03x-%012x" % (frng.getrandbits(32), frng.getrandbits(16),
                                          frng.getrandbits(12), frng.getrandbits(12),
                                          frng.getrandbits(48))
    head = [f"WARC/1.0", f"WARC-Type: {kind}", f"WARC-Record-ID: <urn:uuid:{rid}>"] + headers
    head.append(f"Content-Length: {len(payload)}")
    data = ("\r\n".join(head) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"
    return gzip.compress(data, mtime=0)


def render_warc(items, frng):
    """A crawl of (article, page) pairs: a warcinfo record, then one response record each."""
    crawl = max(a["date"] for a, _ in items) + dt.timedelta(days=1)
    stamp = f"WARC-Date: {crawl.isoformat()}T03:00:00Z"
    out = [warc_record("warcinfo", [stamp, "Content-Type: application/warc-fields"],
                       b"software: bench/gen.py\r\nformat: WARC File Format 1.0\r\n", frng)]
    for a, page in items:
        body = page.encode("utf-8")
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        out.append(warc_record("response", [stamp, f"WARC-Target-URI: {url_of(a)}",
                                            "Content-Type: application/http; msgtype=response"],
                               http, frng))
    return b"".join(out)


def format_weights(formats):
    shares = [(f, w) for f, w in FORMAT_SHARES if f in formats]
    return [f for f, _ in shares], list(accumulate(w for _, w in shares))


def write_synth(n, seed, out, jobs=1, formats=ALL_FORMATS):
    if jobs > 1:
        return write_synth_sharded(n, seed, out, jobs, formats)
    g = Synth(seed)
    counts = write_articles(g, n, out, "articles.jsonl", 0, seed, formats)
    return write_manifest(g, seed, out, counts, formats)


def write_shard(args):
    """One shard of a sharded corpus: its counts."""
    n, seed, out, k, formats = args
    g = Synth(seed)
    g.rng = random.Random(seed * 1000 + k + 1)
    return write_articles(g, n, out, f"articles.{k}.jsonl", k * 10_000_000, seed, formats)


def write_synth_sharded(n, seed, out, jobs, formats):
    from multiprocessing import Pool
    sizes = [n // jobs + (1 if k < n % jobs else 0) for k in range(jobs)]
    with Pool(jobs) as pool:
        done = pool.map(write_shard, [(sizes[k], seed, out, k, formats) for k in range(jobs)])
    # The shards built the same shared state from the seed; the manifest's names come from it.
    for name in ("articles", "gold"):
        with open(os.path.join(out, f"{name}.jsonl"), "wb") as jl:
            for k in range(jobs):
                part = os.path.join(out, f"{name}.{k}.jsonl")
                with open(part, "rb") as f:
                    while chunk := f.read(1 << 20):
                        jl.write(chunk)
                os.remove(part)
    counts = {key: sum(d[key] for d in done) for key in done[0]}
    return write_manifest(Synth(seed), seed, out, counts, formats)


def write_articles(g, n, out, jsonl_name, first_idx, seed, formats):
    """Write n articles drawn from g under out/articles/, their lines to out/jsonl_name and
    their titles, dates and authors to the gold file beside it; returns the counts."""
    rng = g.rng
    # Format choices and the pages' furniture come from a generator of their own, so that the
    # articles themselves are the same whatever formats are asked for.
    frng = random.Random(f"formats {seed} {first_idx}")
    fmt_names, fmt_cum = format_weights(formats)
    art_dir = os.path.join(out, "articles")
    os.makedirs(art_dir, exist_ok=True)
    counts = {"articles": 0, "files": 0, "raw_bytes": 0, "text_bytes": 0}
    by_format = {}
    wire_pool = []
    containers = {}  # (outlet, format) -> [(first index, [(article, payload)])]
    gold_name = jsonl_name.replace("articles", "gold", 1)
    with open(os.path.join(out, jsonl_name), "w", encoding="utf-8") as jl, \
            open(os.path.join(out, gold_name), "w", encoding="utf-8") as gold:
        def write_file(rel, data):
            path = os.path.join(art_dir, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            counts["files"] += 1
            counts["raw_bytes"] += len(data)

        def record(rel, a, fmt, locator=None):
            body = "\n\n".join(a["paras"])
            line = {"path": rel, "title": a["title"], "author": a["author"],
                    "date": a["date"].isoformat() + "T00:00:00Z", "body": body}
            g_line = {"path": rel, "title": a["title"], "date": a["date"].isoformat(),
                      "author": authors_of(a)}
            if locator:
                line["locator"] = g_line["locator"] = locator
            jl.write(json.dumps(line) + "\n")
            gold.write(json.dumps(g_line) + "\n")
            counts["articles"] += 1
            counts["text_bytes"] += len(a["title"].encode("utf-8")) + len(body.encode("utf-8"))
            by_format[fmt] = by_format.get(fmt, 0) + 1

        def emit(rel, a, data, fmt):
            write_file(rel, data)
            record(rel, a, fmt)

        def flush(key):
            first, items = containers.pop(key)
            outlet, fmt = key
            if fmt == "jsonl":
                rel = f"{outlet}/exports/export-{first:07d}.jsonl"
                write_file(rel, "".join(p for _, p in items).encode("utf-8"))
                for k, (a, _) in enumerate(items):
                    record(rel, a, fmt, f"line {k + 1}")
            else:
                rel = f"{outlet}/crawls/crawl-{first:07d}.warc.gz"
                write_file(rel, render_warc(items, frng))
                for k, (a, _) in enumerate(items):
                    record(rel, a, fmt, f"record {k + 2}")  # record 1 is the warcinfo

        i = first_idx
        # Articles waiting in an unwritten container count towards n already.
        while counts["articles"] + sum(len(c[1]) for c in containers.values()) < n:
            r = rng.random()
            if wire_pool and r < SYNDICATED_SHARE:
                a, data, ext, fmt = rng.choice(wire_pool)
                outlet = rng.choice([o[0] for o in OUTLETS if o[0] not in ("wire", "blog")])
                rel = f"{outlet}/{a['date'].year}/{a['slug']}.{ext}"
                if os.path.exists(os.path.join(art_dir, rel)):
                    continue
                emit(rel, a, data, fmt)
                continue
            if wire_pool and r < SYNDICATED_SHARE + REHEADED_SHARE:
                src = rng.choice(wire_pool)[0]
                a = dict(src)
                a["outlet"] = rng.choice(["daily-courier", "northern-herald", "valley-post"])
                a["layout"] = "text"
                a["date"] = src["date"] + dt.timedelta(days=rng.randint(0, 2))
                tw = g.words(rng.randint(5, 9))
                a["title"] = " ".join(tw).capitalize()
                a["author"] = rng.choice(g.outlet_authors[a["outlet"]])
                a["slug"] = slug(tw, i)
                i += 1
            else:
                a = g.article(i)
                i += 1
            # The article's own layout is rendered first, whatever its format, so that the
            # articles' random draws are those of a text and Markdown corpus.
            text = render(a, rng)
            if a["layout"] == "markdown" and "markdown" in formats:
                fmt = "markdown"
            elif len(fmt_names) == 1:
                fmt = fmt_names[0]
            else:
                fmt = fmt_names[min(bisect(fmt_cum, frng.random() * fmt_cum[-1]),
                                    len(fmt_names) - 1)]
            if fmt != "markdown" and a["layout"] == "markdown":
                text = render(dict(a, layout="text"), frng)
            ext = "md" if fmt == "markdown" else "txt"
            data = text.encode("utf-8")
            # Wire stories are copied later as they were written; one in a container is copied
            # as plain text.
            pooled = a["outlet"] == "wire" and len(wire_pool) < 5000
            if fmt in CONTAINERS:
                if pooled:
                    wire_pool.append((a, data, ext, "text"))
                payload = (jsonl_line(a, frng) if fmt == "jsonl"
                           else render_html(a, frng, g.related(frng)))
                key = (a["outlet"], fmt)
                containers.setdefault(key, (i - 1, []))[1].append((a, payload))
                if len(containers[key][1]) == CONTAINER_SIZE:
                    flush(key)
                continue
            if fmt == "html":
                ext = "html"
                data = render_html(a, frng, g.related(frng)).encode()
            elif fmt == "json":
                ext, data = "json", render_json(a, frng).encode("utf-8")
            elif fmt == "gz":
                ext, data = "txt.gz", gzip.compress(data, mtime=0)
            rel = f"{a['outlet']}/{a['date'].year}/{a['slug']}.{ext}"
            if pooled:
                wire_pool.append((a, data, ext, fmt))
            emit(rel, a, data, fmt)
        for key in sorted(containers):
            flush(key)
    counts.update({f"format_{k}": v for k, v in by_format.items()})
    return counts


def write_manifest(g, seed, out, counts, formats):
    # The query mix's names: people by Zipf rank (rank 1 is quoted most).
    by_format = {k[len("format_"):]: v for k, v in counts.items() if k.startswith("format_")}
    manifest = {
        "kind": "synthetic", "seed": seed, "formats": ",".join(formats),
        "articles": counts["articles"], "files": counts["files"],
        "raw_bytes": counts["raw_bytes"], "text_bytes": counts["text_bytes"],
        "articles_by_format": dict(sorted(by_format.items())),
        "speakers": {str(r): " ".join(g.people[r - 1]) for r in (1, 5, 20, 100)},
        "queries": {
            "word": "council", "phrase": '"city council"', "words2": ["police", "budget", "court"],
            "date_word": "election", "from": "2005", "to": "2009",
        },
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def write_real(src, out):
    art_dir = os.path.join(out, "articles")
    os.makedirs(art_dir, exist_ok=True)
    files, raw_bytes = 0, 0
    with open(src, encoding="utf-8") as inp, \
            open(os.path.join(out, "articles.jsonl"), "w", encoding="utf-8") as jl:
        for line in inp:
            rec = json.loads(line)
            body = (rec.get("body") or "").strip()
            title = (rec.get("title") or "").strip()
            if not body:
                continue
            date = rec.get("date") or ""
            try:
                d = dt.date.fromisoformat(date[:10])
            except ValueError:
                d = None
            author = rec.get("author")
            head = []
            if d:
                head.append(f"{MONTHS[d.month - 1]} {d.day}, {d.year}")
            if title:
                head.append(title)
            if author:
                head.append(f"By {author}")
            text = "\n\n".join(head + [body]) + "\n"
            sub = f"{d.year}-{d.month:02d}" if d else "undated"
            rel = f"{sub}/{rec['id']}.txt"
            path = os.path.join(art_dir, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = text.encode("utf-8")
            with open(path, "wb") as f:
                f.write(data)
            files += 1
            raw_bytes += len(data)
            jl.write(json.dumps({"path": rel, "title": title, "author": author or "",
                                 "date": (d.isoformat() + "T00:00:00Z") if d else None,
                                 "body": body}) + "\n")
    manifest = {"kind": "real", "source": os.path.basename(src), "files": files,
                "raw_bytes": raw_bytes}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synth")
    s.add_argument("--n", type=int, required=True)
    s.add_argument("--seed", type=int, default=20240601)
    s.add_argument("--out", required=True)
    s.add_argument("--jobs", type=int, default=1,
                   help="processes writing shards at once (changes the corpus; see above)")
    s.add_argument("--formats", default=",".join(ALL_FORMATS),
                   help="comma-separated formats to write (default: all of %(default)s); "
                        "text,markdown gives the corpus of earlier versions")
    r = sub.add_parser("real")
    r.add_argument("--src", required=True)
    r.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "synth":
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        unknown = sorted(set(formats) - set(ALL_FORMATS))
        if unknown or "text" not in formats:
            ap.error(f"--formats: {', '.join(unknown) or 'text is required'} "
                     f"(formats: {', '.join(ALL_FORMATS)}; text is always one of them)")
        formats = [f for f in ALL_FORMATS if f in formats]
        m = write_synth(args.n, args.seed, args.out, args.jobs, formats)
    else:
        m = write_real(args.src, args.out)
    json.dump({k: m[k] for k in ("articles", "files", "raw_bytes") if k in m}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
