package generate

// country is one of the three markets the generated business sells to.
type country struct {
	Code       string // ISO 3166-1 alpha-2
	Name       string // as Salesforce stores it in Country without state and country picklists
	TLD        string
	Share      int // relative weight of people from this country
	Cities     []city
	Streets    []string
	LegalForms []string
	// NumberAfterStreet is true where house numbers follow the street name.
	// All three countries write it so; the field keeps the address builder
	// honest if another country is added.
	NumberAfterStreet bool
	MobilePrefixes    []string
}

// city is a city with its real postcode range and telephone area code.
type city struct {
	Name     string
	Postcode [2]int // first and last four- or five-digit postcode in use
	AreaCode string // without the trunk prefix 0
	Province string
}

// Lists of common given names, split by gender so the Salutation fits.
type names struct {
	Female, Male, Last []string
}

var netherlands = country{
	Code: "NL", Name: "Netherlands", TLD: "nl", Share: 55, NumberAfterStreet: true,
	Cities: []city{
		{"Amsterdam", [2]int{1011, 1109}, "20", "Noord-Holland"},
		{"Rotterdam", [2]int{3011, 3089}, "10", "Zuid-Holland"},
		{"Utrecht", [2]int{3511, 3585}, "30", "Utrecht"},
		{"Den Haag", [2]int{2491, 2597}, "70", "Zuid-Holland"},
		{"Eindhoven", [2]int{5611, 5658}, "40", "Noord-Brabant"},
		{"Groningen", [2]int{9711, 9747}, "50", "Groningen"},
		{"'s-Hertogenbosch", [2]int{5211, 5247}, "73", "Noord-Brabant"},
		{"Zwolle", [2]int{8011, 8047}, "38", "Overijssel"},
		{"Haarlem", [2]int{2011, 2037}, "23", "Noord-Holland"},
		{"Nijmegen", [2]int{6511, 6546}, "24", "Gelderland"},
		{"Leeuwarden", [2]int{8911, 8939}, "58", "Friesland"},
		{"Maastricht", [2]int{6211, 6229}, "43", "Limburg"},
	},
	Streets: []string{
		"Keizersgracht", "Herengracht", "Stationsplein", "Kerkstraat", "Dorpsstraat",
		"Hoofdweg", "Industrieweg", "Marktplein", "Nieuwe Binnenweg", "Oudegracht",
		"Beursplein", "Zuidas", "Laan van Nieuw Oost-Indië", "Vijzelstraat",
		"Europalaan", "Prins Hendrikkade", "IJsbaanpad", "Sint Jansstraat",
		"Burgemeester de Monchyplein", "Weena",
	},
	LegalForms:     []string{"B.V.", "B.V.", "B.V.", "B.V.", "N.V.", "V.O.F."},
	MobilePrefixes: []string{"6"},
}

var belgium = country{
	Code: "BE", Name: "Belgium", TLD: "be", Share: 25, NumberAfterStreet: true,
	Cities: []city{
		{"Brussel", [2]int{1000, 1000}, "2", "Brussels Hoofdstedelijk Gewest"},
		{"Antwerpen", [2]int{2000, 2060}, "3", "Antwerpen"},
		{"Gent", [2]int{9000, 9000}, "9", "Oost-Vlaanderen"},
		{"Leuven", [2]int{3000, 3001}, "16", "Vlaams-Brabant"},
		{"Liège", [2]int{4000, 4000}, "4", "Liège"},
		{"Brugge", [2]int{8000, 8000}, "50", "West-Vlaanderen"},
		{"Namur", [2]int{5000, 5000}, "81", "Namur"},
		{"Mechelen", [2]int{2800, 2800}, "15", "Antwerpen"},
		{"Hasselt", [2]int{3500, 3500}, "11", "Limburg"},
		{"Kortrijk", [2]int{8500, 8500}, "56", "West-Vlaanderen"},
	},
	Streets: []string{
		"Rue de la Loi", "Avenue Louise", "Meir", "Veldstraat", "Bondgenotenlaan",
		"Kortrijksesteenweg", "Boulevard d'Avroy", "Grote Markt", "Sint-Pietersnieuwstraat",
		"Rue du Marché aux Herbes", "Frankrijklei", "Chaussée de Waterloo", "Koningin Astridlaan",
	},
	LegalForms:     []string{"BV", "BV", "SRL", "NV", "SA", "CommV"},
	MobilePrefixes: []string{"470", "471", "472", "475", "477", "478", "479", "486", "494", "495"},
}

var germany = country{
	Code: "DE", Name: "Germany", TLD: "de", Share: 20, NumberAfterStreet: true,
	Cities: []city{
		{"Berlin", [2]int{10115, 14199}, "30", "Berlin"},
		{"Hamburg", [2]int{20095, 22769}, "40", "Hamburg"},
		{"München", [2]int{80331, 81929}, "89", "Bayern"},
		{"Köln", [2]int{50667, 51149}, "221", "Nordrhein-Westfalen"},
		{"Düsseldorf", [2]int{40210, 40629}, "211", "Nordrhein-Westfalen"},
		{"Frankfurt am Main", [2]int{60306, 65936}, "69", "Hessen"},
		{"Aachen", [2]int{52062, 52080}, "241", "Nordrhein-Westfalen"},
		{"Münster", [2]int{48143, 48167}, "251", "Nordrhein-Westfalen"},
	},
	Streets: []string{
		"Friedrichstraße", "Hauptstraße", "Königsallee", "Schloßstraße", "Bahnhofstraße",
		"Am Sandtorkai", "Maximilianstraße", "Hohenzollernring", "Zeil", "Theresienhöhe",
		"Kurfürstendamm", "Gänsemarkt",
	},
	LegalForms:     []string{"GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "AG", "UG (haftungsbeschränkt)"},
	MobilePrefixes: []string{"151", "152", "157", "160", "170", "171", "172", "175", "176", "179"},
}

var countries = []*country{&netherlands, &belgium, &germany}

var peopleNames = map[string]names{
	"NL": {
		Female: []string{"Sanne", "Lotte", "Femke", "Eva", "Marieke", "Anouk", "Ingrid", "Noor",
			"Mirjam", "Ilse", "Esther", "Fleur", "Sophie", "Willemijn", "Maaike", "Renée",
			"Chantal", "Saskia", "Yara", "Fatima", "Joëlle", "Linda", "Annemiek"},
		Male: []string{"Jan", "Pieter", "Daan", "Joost", "Bram", "Ruud", "Geert", "Sjoerd",
			"Ruben", "Thijs", "Maarten", "Wouter", "IJsbrand", "Kees", "Hendrik", "Mohamed",
			"Thomas", "Bas", "Jeroen", "Niels", "Gerrit", "Luuk", "Sem"},
		Last: []string{"de Vries", "Jansen", "van der Berg", "Bakker", "Visser", "Smit",
			"Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
			"van Dijk", "Dekker", "Brouwer", "Dijkstra", "van Leeuwen", "IJzerman",
			"Kuijpers", "'t Hart", "van 't Hof", "O'Brien", "Çelik", "El Amrani", "Bouzid",
			"van der Meulen", "Verhoeven", "Koster", "Prins", "de Wit", "Huisman", "van Beek",
			"Schouten", "de Jong", "van den Heuvel", "Sánchez", "Ünal"},
	},
	"BE": {
		Female: []string{"Katrien", "Griet", "Elke", "Hélène", "Céline", "Amélie", "Zoë",
			"Chloé", "An", "Lien", "Nathalie", "Sofie", "Marie", "Inès", "Lore", "Ellen",
			"Françoise", "Anaïs"},
		Male: []string{"Wouter", "Lieven", "Jens", "Stijn", "François", "Benoît", "Maël",
			"Pieter-Jan", "Koen", "Bart", "Dirk", "Olivier", "Jérôme", "Frédéric", "Arne",
			"Thibault", "Yannick", "Seppe"},
		Last: []string{"De Smet", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens",
			"Willems", "Claes", "Goossens", "Wouters", "De Clercq", "Vandenbroucke", "Dubois",
			"Lambert", "Lefèvre", "Dupont", "Leclercq", "Van Damme", "D'Hondt", "Vermeulen",
			"Van de Velde", "Desmet", "Lemaître", "Hermans", "Verbeke", "De Backer"},
	},
	"DE": {
		Female: []string{"Stefanie", "Ursula", "Käthe", "Hannah", "Lea", "Annika", "Jana",
			"Sabine", "Birgit", "Anja", "Lena", "Katharina", "Sophie", "Özlem", "Małgorzata"},
		Male: []string{"Jürgen", "Günther", "Jörg", "Sören", "Björn", "Lukas", "Jonas",
			"Matthias", "Tobias", "Florian", "Stefan", "Andreas", "Uwe", "Max", "Felix", "Timo"},
		Last: []string{"Müller", "Schäfer", "Groß", "Köhler", "Weiß", "Schröder", "Fischer",
			"Wagner", "Becker", "Hoffmann", "Krüger", "Böhm", "Schulz", "Zimmermann",
			"Hartmann", "Meyer", "Wolf", "Neumann", "Schmitt", "Lange", "Kaya", "Nowak"},
	},
}

// Job titles as people write them on forms and business cards in the three
// countries, mixed with the English titles common in B2B.
var jobTitles = map[string][]string{
	"NL": {"Marketing Manager", "Hoofd Marketing", "CFO", "Directeur", "Inkoper",
		"Sales Operations Manager", "RevOps Lead", "Office manager", "Projectleider",
		"Accountmanager", "Directeur-eigenaar", "Teamleider Klantenservice", "CTO",
		"Business Developer", "Hoofd Inkoop", "Marketing & Communicatie Adviseur"},
	"BE": {"Zaakvoerder", "Responsable marketing", "Directeur commercial", "Sales Manager",
		"Aankoper", "Gérant", "Head of Operations", "Marketing Coördinator", "CEO",
		"Chef de projet", "IT-manager", "Key Account Manager"},
	"DE": {"Geschäftsführer", "Leiter Vertrieb", "Marketingleiterin", "Einkäufer",
		"Head of Marketing", "Prokurist", "Vertriebsleiter DACH", "Teamleiter IT",
		"Projektmanager", "CFO", "Leiterin Einkauf", "Key Account Manager"},
}

// Company name parts. A name is built from a place or surname and a trade,
// then a legal form of the country.
var companyTrades = map[string][]string{
	"NL": {"Logistiek", "Installatietechniek", "Bouw", "Software", "Advies", "Metaal",
		"Transport", "Zorggroep", "Data", "Techniek", "Groothandel", "Verpakkingen",
		"Energie", "Uitzendbureau", "Drukkerij", "Machinebouw"},
	"BE": {"Bouw", "Logistique", "Metaalwerken", "Consult", "Transport", "Brasserie",
		"Chocolatier", "Ingénierie", "Software", "Textiel", "Immo", "Solutions"},
	"DE": {"Maschinenbau", "Logistik", "Softwarehaus", "Elektrotechnik", "Beratung",
		"Verpackung", "Stahlbau", "Medizintechnik", "Spedition", "Automation"},
}

var companyPlaces = map[string][]string{
	"NL": {"Hollandse", "Noord-Holland", "Brabantse", "Friese", "Rijnmond", "Zeeuwse",
		"Twentse", "Limburgse", "Utrechtse", "Polder", "Delta", "Kempen"},
	"BE": {"Vlaamse", "Brabançonne", "Antwerpse", "Gentse", "Limburgse", "Ardennes",
		"Waasland", "Kempische"},
	"DE": {"Berliner", "Hanseatische", "Rheinische", "Bayerische", "Westfälische",
		"Norddeutsche", "Münchner", "Kölner"},
}

// The seller's sales team: Salesforce Users who own the records, and the
// matching HubSpot owners.
var salesTeam = []struct{ First, Last string }{
	{"Marloes", "van Dam"},
	{"Thijs", "Vermeulen"},
	{"Hanna", "Schäfer"},
	{"Lieven", "De Clercq"},
	{"Dennis", "O'Connor"},
	{"Eline", "Bakker"},
	{"Jérôme", "Lambert"},
	{"Ilse", "de Groot"},
}

// sellerDomain is the email domain of the generated business's own staff.
const sellerDomain = "noordlicht-software.nl"

var campaignTemplates = []struct {
	Name, Type string
}{
	{"Webinar: Slimmer plannen in de logistiek", "Webinar"},
	{"Jaarbeurs Utrecht: Logistica 2026", "Trade Show"},
	{"Nieuwsbrief Q3 2026", "Email"},
	{"Salon Entreprendre Bruxelles 2026", "Conference"},
	{"Hannover Messe 2026", "Trade Show"},
	{"Whitepaper Duurzaam inkopen", "Advertisement"},
	{"Klantdag Noordlicht 2026", "Conference"},
	{"LinkedIn Ads DACH Q4", "Banner Ads"},
	{"Partnerprogramma Benelux", "Partners"},
	{"Direct mail eindejaar 2026", "Direct Mail"},
}
