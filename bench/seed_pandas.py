# The seed pipeline in pandas + scikit-learn, as the seed notebooks do it (bench/seed-run.mjs runs it, one process
# per run, alternating with Aisle). Usage: python seed_pandas.py <online_retail.csv>
# Prints one JSON line: per-stage milliseconds (load, clean, kpis, rfm, kmeans, elbow, item_cosine), total, and checks.
import json
import sys
import time

t0 = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402

import_ms = (time.perf_counter() - t0) * 1000
stages = {}


def stage(name, started):
    stages[name] = round((time.perf_counter() - started) * 1000, 1)
    return time.perf_counter()


t = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str}, encoding="utf-8")
df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"], format="%m/%d/%Y %H:%M")
t = stage("load", t)

df = df.dropna(subset=["CustomerID"])
df = df[~df["InvoiceNo"].str.startswith("C")]
df = df[(df["Quantity"] > 0) & (df["UnitPrice"] > 0)].copy()
df["Amount"] = df["Quantity"] * df["UnitPrice"]
t = stage("clean", t)

kpis = {
    "revenue": float(df["Amount"].sum()),
    "orders": int(df["InvoiceNo"].nunique()),
    "customers": int(df["CustomerID"].nunique()),
    "products": int(df["StockCode"].nunique()),
}
kpis["average_order_value"] = kpis["revenue"] / kpis["orders"]
monthly = df.groupby(df["InvoiceDate"].dt.to_period("M"))["Amount"].sum()
t = stage("kpis", t)

snapshot = df["InvoiceDate"].max().normalize() + pd.Timedelta(days=1)
rfm = df.groupby("CustomerID").agg(
    recency_days=("InvoiceDate", lambda d: (snapshot - d.max().normalize()).days),
    frequency=("InvoiceNo", "nunique"),
    monetary=("Amount", "sum"),
)
t = stage("rfm", t)

features = StandardScaler().fit_transform(np.log1p(rfm[["recency_days", "frequency", "monetary"]]))
kmeans = KMeans(n_clusters=4, n_init=10, random_state=42).fit(features)
rfm["cluster"] = kmeans.labels_
t = stage("kmeans", t)

inertias = [KMeans(n_clusters=k, n_init=10, random_state=42).fit(features).inertia_ for k in range(2, 11)]
t = stage("elbow", t)

# Item-item cosine over the customer × product matrix (bought or not), the 5 most similar products of each.
customers = df["CustomerID"].astype("category")
products = df["StockCode"].astype("category")
matrix = csr_matrix(
    (np.ones(len(df)), (customers.cat.codes.to_numpy(), products.cat.codes.to_numpy())),
    shape=(len(customers.cat.categories), len(products.cat.categories)),
)
matrix.data[:] = 1.0
similarity = cosine_similarity(matrix.T, dense_output=True)
np.fill_diagonal(similarity, -1.0)
top5 = np.argpartition(-similarity, 5, axis=1)[:, :5]
t = stage("item_cosine", t)

print(
    json.dumps(
        {
            "stagesMs": stages,
            "totalMs": round(sum(stages.values()), 1),
            "importMs": round(import_ms, 1),
            "check": {
                "rowsClean": int(len(df)),
                "customers": int(len(rfm)),
                "products": int(matrix.shape[1]),
                "revenue": round(kpis["revenue"], 2),
                "kmeansInertia": round(float(kmeans.inertia_), 4),
                "elbowInertias": [round(float(v), 4) for v in inertias],
                "top5Rows": int(top5.shape[0]),
            },
            "versions": {"pandas": pd.__version__, "numpy": np.__version__},
        }
    )
)
