// The models: pure functions over typed arrays, run in a worker with progress and cancel. Segmentation first.
export { type Matrix, matrix, fromRows, fromColumns, toRows, getRow, getColumn, selectRows } from './kit/matrix.ts';
export { type RunControl, throwIfCancelled } from './kit/progress.ts';
export { type Clustering } from './segmentation/clusters.ts';
export { type FeatureTransform, type FeatureOptions, type Scaling, type ScalingKind, prepareFeatures, applyTransform, invertTransform } from './kit/features.ts';
export { type KMeansOptions, type KMeansResult, kmeans } from './segmentation/kmeans.ts';
export { type Elbow, type ElbowOptions, elbow, findKnee } from './segmentation/elbow.ts';
export { type SilhouetteOptions, type SilhouetteResult, type SilhouetteByK, type SilhouetteByKOptions, silhouette, silhouetteByK, suggestK } from './segmentation/silhouette.ts';
export { type Dendrogram, type HierarchicalOptions, type HierarchicalResult, type Linkage, hierarchical, linkageTree, cutTree } from './segmentation/hierarchical.ts';
export { type Contingency, adjustedRandIndex, contingencyTable } from './segmentation/ari.ts';
export { type PcaResult, pca } from './segmentation/pca.ts';
export { type LabelFormat, type RfmColumns, type SegmentLabel, labelRfmSegments, labelSpendTiers, labelSegments } from './segmentation/labels.ts';
export { type SegmentModel, type SegmentPrediction, predictSegment } from './segmentation/predictor.ts';
export { type ParetoCurve, pareto } from './segmentation/pareto.ts';
// Market baskets and recommenders.
export { type Transactions, buildTransactions } from './baskets/basket.ts';
export { type FrequentItemset, type FrequentItemsets, type FpGrowthOptions, fpGrowth } from './baskets/fpgrowth.ts';
export { type AssociationRule, type RuleOptions, associationRules, formatRule } from './baskets/rules.ts';
export { type SparseMatrix, type Interactions, type InteractionRows, type InteractionValue, type Recommendation, type Recommender, buildInteractions, recommend, topN } from './baskets/interactions.ts';
export { type WeightingScheme, weightMatrix } from './baskets/weighting.ts';
export { type ItemSimilarities, type BoughtWith, itemSimilarities, similarProducts, findProduct, oftenBoughtWith, oftenBoughtWithEach, itemKnnRecommender } from './recommenders/item-knn.ts';
export { userKnnRecommender } from './recommenders/user-knn.ts';
export { type AlsModel, type AlsOptions, trainAls, alsRecommender } from './recommenders/als.ts';
export { type Ratings, type SvdModel, type SvdOptions, trainSvd, predictRating, svdRecommender, crossValidateSvd } from './recommenders/svd.ts';
export { tfidfVectors, contentRecommender, similarByContent } from './recommenders/content.ts';
export { popularityRecommender } from './recommenders/popularity.ts';
export { hybridRecommender } from './recommenders/hybrid.ts';
export { type RecommenderMethod, RECOMMENDER_METHODS, recommenderFactories } from './recommenders/recommenders.ts';
export { type EvaluationRows, type RecommenderFactory, type RecommenderEvaluation, timeSplit, lastBasketSplit, defaultCutoff, evaluateRecommenders } from './recommenders/evaluation.ts';
export { type RankingEvaluation, evaluate as evaluateRanking, precisionAtK, recallAtK, averagePrecisionAtK, ndcgAtK, hitRateAtK, catalogueCoverage } from './recommenders/ranking-metrics.ts';
// Forecasts, loyalty and lifetime value.
export { type Forecast, type ForecastModel, type BacktestResult, type AutoForecast, seasonalNaive, linearSeasonal, forecastWith, backtest, autoForecast, accuracy } from './forward/forecast.ts';
export { holtWinters, fitHoltWinters } from './forward/holt-winters.ts';
export { type Period, periodSeries } from './forward/periods.ts';
export { type LogisticModel, fitLogistic, predictLogisticProba } from './forward/logistic.ts';
export { type RandomForest, fitRandomForest, predictForestProba } from './forward/random-forest.ts';
export { rocCurve, rocAuc, precisionRecallCurve, averagePrecision, confusionMatrix, thresholdMetrics, calibrationTable, permutationImportance, stratifiedSplit } from './forward/classification-metrics.ts';
export { type BgNbdModel, type GammaGammaModel, fitBgNbd, fitGammaGamma, bgNbdProbabilityAlive, bgNbdExpectedPurchases, gammaGammaExpectedAverageProfit } from './forward/clv.ts';
export { customerLifetimeValue } from './forward/clv-value.ts';
export { type ParetoNbdModel, fitParetoNbd, paretoNbdProbabilityAlive, paretoNbdExpectedPurchases } from './forward/pareto-nbd.ts';
export { customerSummary } from './forward/clv-summary.ts';
// The registry, and the SQL and data helpers model cells are made of (the benchmarks drive them directly).
export { runModel, listModels, findModel } from './registry.ts';
export { type Frame, frameFromIpc, frameToIpc } from './kit/frame.ts';
export { excludedProducts, productCatalogue } from './kit/retail-lines.ts';
export { rfmSql } from './segmentation/rfm.ts';
export { cohortSql } from './forward/cohorts.ts';
export { loyaltyFeaturesSql } from './forward/loyalty-features.ts';
export { binary, logRatings } from './recommenders/recommenders.ts';
