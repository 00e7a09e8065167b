"""Per-marketplace facts the data generator needs: currency, channel, tax, names and places.

Marketplace ids come from the sandbox's own table of Amazon's marketplaces
(tables.py); tests/sandbox/test_tables_agree.py checks it against the
component's.
"""

from dataclasses import dataclass
from decimal import Decimal

from ..tables import MARKETPLACE_BY_COUNTRY


@dataclass(frozen=True)
class Market:
    country: str
    currency: str
    sales_channel: str
    email_domain: str
    tax_rate: Decimal
    tax_included: bool  # VAT markets quote prices with tax included
    weight: int  # share of generated orders
    usd_rate: Decimal  # local price = USD price * rate
    buyer_names: tuple
    places: tuple  # (city, state or region, postal code)
    streets: tuple
    phone_prefix: str
    company: tuple  # (legal name, VAT-like tax number name, number) for business orders

    @property
    def marketplace_id(self):
        return MARKETPLACE_BY_COUNTRY[self.country].marketplace_id

    @property
    def quantum(self):
        return Decimal(1) if self.currency == "JPY" else Decimal("0.01")


MARKETS = (
    Market("US", "USD", "Amazon.com", "marketplace.amazon.com", Decimal("0.0725"), False, 30, Decimal(1),
           ("John Smith", "Mary Johnson", "Aaron O'Brien", "Dolores Peña", "Kim Nguyen"),
           (("Seattle", "WA", "98103"), ("Austin", "TX", "78701"), ("Brooklyn", "NY", "11201"),
            ("Portland", "OR", "97205")),
           ("1234 Any St.", "500 Pine Street", "77 Massachusetts Ave"), "+1 206 555 ",
           ("Acme Supplies LLC", "EIN", "12-3456789")),
    Market("CA", "CAD", "Amazon.ca", "marketplace.amazon.ca", Decimal("0.13"), False, 8, Decimal("1.35"),
           ("Émilie Tremblay", "Liam MacDonald", "Chloé Gagnon"),
           (("Montréal", "QC", "H2X 1Y4"), ("Toronto", "ON", "M5V 2T6"), ("Vancouver", "BC", "V6B 1A1")),
           ("1200 rue Sainte-Catherine O", "88 Queen St W"), "+1 514 555 ",
           ("Érable Distribution Inc.", "GST", "123456789RT0001")),
    Market("MX", "MXN", "Amazon.com.mx", "marketplace.amazon.com.mx", Decimal("0.16"), True, 5, Decimal(17),
           ("José Peña", "María Núñez", "Sofía Ibáñez"),
           (("Ciudad de México", "CDMX", "06600"), ("Guadalajara", "JAL", "44100"), ("Monterrey", "NL", "64000")),
           ("Av. Insurgentes Sur 1235", "Calle Niños Héroes 45"), "+52 55 5555 ",
           ("Comercializadora Peña S.A. de C.V.", "RFC", "CPE010101AB1")),
    Market("DE", "EUR", "Amazon.de", "marketplace.amazon.de", Decimal("0.19"), True, 15, Decimal("0.92"),
           ("Jürgen Müller", "Käthe Weiß", "Björn Größler", "Łukasz Wiśniewski", "Zofia Kałużna"),
           (("München", "Bayern", "80331"), ("Köln", "Nordrhein-Westfalen", "50667"),
            ("Düsseldorf", "Nordrhein-Westfalen", "40213"), ("Berlin", "Berlin", "10115")),
           ("Hauptstraße 5", "Königsallee 12", "Schloßstraße 3a"), "+49 89 555",
           ("Müller & Söhne GmbH", "VATNumber", "DE123456789")),
    Market("GB", "GBP", "Amazon.co.uk", "marketplace.amazon.co.uk", Decimal("0.20"), True, 12, Decimal("0.79"),
           ("Oliver Smith", "Siobhán O'Connor", "Agnieszka Wróbel", "Amelia Jones"),
           (("London", "Greater London", "SW1A 1AA"), ("Manchester", "Greater Manchester", "M1 1AE"),
            ("Edinburgh", "Midlothian", "EH1 1YZ")),
           ("10 Downing Lane", "221B Baker Street", "1 Princes Street"), "+44 20 7946 ",
           ("Thames Trading Ltd", "VATNumber", "GB123456789")),
    Market("FR", "EUR", "Amazon.fr", "marketplace.amazon.fr", Decimal("0.20"), True, 8, Decimal("0.92"),
           ("Hélène Lefèvre", "François Dupré", "Zoé Bérénice Caron"),
           (("Paris", "Île-de-France", "75001"), ("Lyon", "Auvergne-Rhône-Alpes", "69002"),
            ("Nîmes", "Occitanie", "30000")),
           ("12 rue de la Paix", "3 place Bellecour", "8 bd Gambetta"), "+33 1 55 ",
           ("Société Générale de Négoce SARL", "VATNumber", "FR12345678901")),
    Market("JP", "JPY", "Amazon.co.jp", "marketplace.amazon.co.jp", Decimal("0.10"), True, 12, Decimal(150),
           ("山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲"),
           (("港区", "東京都", "107-0052"), ("大阪市北区", "大阪府", "530-0001"), ("札幌市中央区", "北海道", "060-0001")),
           ("赤坂1-2-10", "梅田3-1-1", "北1条西2丁目"), "03-5555-",
           ("株式会社サンプル商事", "CorporateNumber", "1234567890123")),
    Market("IN", "INR", "Amazon.in", "marketplace.amazon.in", Decimal("0.18"), True, 8, Decimal(83),
           ("Priya Sharma", "Rahul Gupta", "Ananya Iyer"),
           (("Bengaluru", "KARNATAKA", "560001"), ("Mumbai", "MAHARASHTRA", "400001"), ("New Delhi", "DELHI", "110001")),
           ("12 MG Road", "45 Marine Drive", "7 Connaught Place"), "+91 80 5555 ",
           ("Sharma Traders Pvt Ltd", "GSTIN", "29ABCDE1234F1Z5")),
)

MARKET_BY_ID = {m.marketplace_id: m for m in MARKETS}
MARKET_BY_COUNTRY = {m.country: m for m in MARKETS}
