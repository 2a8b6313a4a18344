"""Project assets 扶贫项目资产: ledgers, upkeep, the survey of idle or damaged assets, income, photovoltaic output."""
